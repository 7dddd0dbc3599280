/**
 * Hookwire: emit and receive signed webhooks in-process.
 *
 * <p>Exported packages:
 * <ul>
 *   <li>{@link dev.hookwire}: {@link dev.hookwire.HookwireException}, the root of all exceptions;</li>
 *   <li>{@link dev.hookwire.event}: the event envelope, typed event data and the JSON codec;</li>
 *   <li>{@link dev.hookwire.signature}: signers and verifiers for each supported scheme;</li>
 *   <li>{@link dev.hookwire.preset}: ready endpoints and verifiers for the systems Hookwire
 *       speaks to (Standard Webhooks, Intelligems, ABsmartly, Insightarc, Intempt);</li>
 *   <li>{@link dev.hookwire.receive}: the receiving side, verifying, de-duplicating and routing
 *       webhooks to handlers;</li>
 *   <li>{@link dev.hookwire.store}: the delivery and attempt records the dispatcher's queries
 *       answer with;</li>
 *   <li>{@link dev.hookwire.store.spi}: the store SPIs, for whoever implements a store;</li>
 *   <li>{@link dev.hookwire.store.memory}: the in-memory store, the default;</li>
 *   <li>{@link dev.hookwire.store.jdbc}: the delivery store in a database, through JDBC
 *       ({@code java.sql} is required transitively, as its API names {@code DataSource}).</li>
 * </ul>
 * {@code dev.hookwire.internal} holds shared internals and is not exported.
 */
module dev.hookwire {
  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http;
  requires transitive java.sql;
  requires okhttp3;
  requires org.slf4j;

  exports dev.hookwire;
  exports dev.hookwire.event;
  exports dev.hookwire.signature;
  exports dev.hookwire.store;
  exports dev.hookwire.store.memory;
  exports dev.hookwire.store.spi;
  exports dev.hookwire.store.jdbc;
  exports dev.hookwire.transport;
  exports dev.hookwire.dispatch;
  exports dev.hookwire.preset;
  exports dev.hookwire.receive;

  opens dev.hookwire.event to com.fasterxml.jackson.databind;
}
