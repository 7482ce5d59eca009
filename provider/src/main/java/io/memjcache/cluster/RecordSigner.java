package io.memjcache.cluster;

/**
 * Signs and checks the cluster's own small records (membership marks, down notices, server
 * lists; see {@link SignedText}) with the shared secret; implemented by the provider's key ring,
 * so this package holds no key material.
 */
public interface RecordSigner {

  /** Returns if tags are made and required: a secret is set. */
  boolean signs();

  /** Returns the tag of {@code message} (empty without a secret). */
  byte[] tag(byte[] message);

  /** Returns if {@code tag} is a valid tag of {@code message}. */
  boolean verify(byte[] message, byte[] tag);
}
