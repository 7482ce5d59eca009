package io.memjcache.security;

/**
 * One shared secret of a {@link KeyRing} and the subkeys derived from it, one per purpose, so that
 * no key is used for two jobs.
 *
 * @param id the key id stored in each sealed entry and signature (0 to 255)
 * @param sealKey the AES-256-GCM key of entries
 * @param nameKey the HMAC-SHA256 key of memcached key names
 * @param signKey the HMAC-SHA256 key of {@link MessageAuthenticator} tags
 */
record SecretKey(int id, byte[] sealKey, byte[] nameKey, byte[] signKey) {

  static SecretKey derive(int id, byte[] secret) {
    return new SecretKey(id, Hkdf.subkey(secret, "memjcache entry seal v1"),
        Hkdf.subkey(secret, "memjcache key names v1"), Hkdf.subkey(secret, "memjcache signatures v1"));
  }

  boolean sameAs(SecretKey other) {
    return id == other.id && java.util.Arrays.equals(sealKey, other.sealKey)
        && java.util.Arrays.equals(nameKey, other.nameKey) && java.util.Arrays.equals(signKey, other.signKey);
  }

  @Override
  public String toString() {
    return "key " + id; // never the material
  }
}
