package dev.hookwire.signature;

/** How an HMAC header scheme writes the signature bytes into its header. */
public enum SignatureEncoding {
  /** Hexadecimal; written lower-case, read in either case. */
  HEX,
  /** Standard base64 with padding; read with or without padding. */
  BASE64
}
