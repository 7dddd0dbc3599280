/**
 * Ready set-ups for the systems Hookwire speaks to: for each, a factory of an {@link
 * dev.hookwire.dispatch.Endpoint.Builder} that sends as the system does (method, headers, body,
 * signature, timeout and attempts as its documentation describes them) and, where the system signs
 * its requests, a {@link dev.hookwire.signature.Verifier} that checks what it sends.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>system</th><th>sending</th><th>receiving</th></tr>
 *   <tr><td>Standard Webhooks (the default)</td>
 *       <td>{@link dev.hookwire.preset.StandardWebhooks#endpoint}, {@link
 *           dev.hookwire.preset.StandardWebhooks#ed25519Endpoint}</td>
 *       <td>{@link dev.hookwire.preset.StandardWebhooks#verifier}, {@link
 *           dev.hookwire.preset.StandardWebhooks#ed25519Verifier}</td></tr>
 *   <tr><td>Intelligems: experience events</td>
 *       <td>{@link dev.hookwire.preset.Intelligems#endpoint}</td>
 *       <td>{@link dev.hookwire.preset.Intelligems#verifier}</td></tr>
 *   <tr><td>ABsmartly collector: goal events</td>
 *       <td>{@link dev.hookwire.preset.Absmartly#endpoint}</td>
 *       <td>none: requests carry an API key, no signature</td></tr>
 *   <tr><td>Insightarc: signals</td>
 *       <td>{@link dev.hookwire.preset.Insightarc#endpoint}</td>
 *       <td>{@link dev.hookwire.preset.Insightarc#verifier}</td></tr>
 *   <tr><td>Intempt: journey webhook destinations</td>
 *       <td>{@link dev.hookwire.preset.Intempt#endpoint}, {@link
 *           dev.hookwire.preset.Intempt#customPayload}</td>
 *       <td>none: requests carry credentials, no signature</td></tr>
 * </table>
 *
 * <p>Each endpoint factory returns a builder, so any setting can still be changed before {@code
 * build()}. Bad arguments fail at the factory call with a message that names the argument and
 * never repeats a secret. Payload mappers are referred to by name in durable stores: a dispatcher
 * that loads stored endpoints must be given the presets' mappers ({@code
 * Dispatcher.Builder.payloadMapper(Intelligems.payload())}).
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.preset;
