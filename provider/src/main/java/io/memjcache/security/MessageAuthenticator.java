package io.memjcache.security;

import io.memjcache.cluster.RecordSigner;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;

/**
 * Signs and checks small messages (such as membership marks) with the {@link KeyRing}: the tag is
 * the signing key's id followed by HMAC-SHA256 of the message under that key's signature subkey.
 * Tags are made with the first listed key and accepted from any listed key, so keys rotate as for
 * entries. Without a secret, tags are empty and only an empty tag verifies: nothing is protected.
 */
public final class MessageAuthenticator implements RecordSigner {

  private final List<SecretKey> keys;

  MessageAuthenticator(List<SecretKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Returns if tags are made and required: a secret is set. */
  @Override
  public boolean signs() {
    return !keys.isEmpty();
  }

  /** Returns the tag of {@code message}: 1 byte key id, 32 bytes HMAC (empty without a secret). */
  @Override
  public byte[] tag(byte[] message) {
    if (keys.isEmpty()) {
      return new byte[0];
    }
    SecretKey key = keys.get(0);
    byte[] mac = Hmac.sha256(key.signKey()).doFinal(message);
    byte[] tag = new byte[1 + mac.length];
    tag[0] = (byte) key.id();
    System.arraycopy(mac, 0, tag, 1, mac.length);
    return tag;
  }

  /** Returns if {@code tag} is a valid tag of {@code message} under any listed key. */
  @Override
  public boolean verify(byte[] message, byte[] tag) {
    if (keys.isEmpty()) {
      return tag.length == 0;
    }
    if (tag.length == 0) {
      return false;
    }
    for (SecretKey key : keys) {
      if (key.id() == (tag[0] & 0xFF)) {
        Mac mac = Hmac.sha256(key.signKey());
        // constant time: a timing difference would let a forger learn the tag byte by byte
        return MessageDigest.isEqual(mac.doFinal(message), Arrays.copyOfRange(tag, 1, tag.length));
      }
    }
    return false;
  }
}
