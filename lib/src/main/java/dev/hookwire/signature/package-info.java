/**
 * Signing and verifying webhooks: one {@link dev.hookwire.signature.SignatureScheme} per format,
 * {@link dev.hookwire.signature.Signer} to produce signature headers and
 * {@link dev.hookwire.signature.Verifier} to check them.
 *
 * <p>All parameters and return values in this package are non-null unless a member's
 * documentation says otherwise.
 */
package dev.hookwire.signature;
