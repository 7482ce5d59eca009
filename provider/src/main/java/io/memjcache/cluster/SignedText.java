package io.memjcache.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The signature of the cluster's own small items (membership marks, down notices): with a secret,
 * {@code text sig=<tag>}, the tag a {@link RecordSigner} HMAC of the text, required and
 * checked on reading; without one, the text alone, and a signature is ignored (a client without a
 * secret cannot check it). Anyone who reaches a memcached port can write these items: a client
 * with a secret obeys only those a client with the same secret wrote.
 */
final class SignedText {

  private static final String SIG = " sig=";

  private SignedText() {}

  static byte[] sign(String text, RecordSigner auth) {
    byte[] body = text.getBytes(StandardCharsets.US_ASCII);
    if (!auth.signs()) {
      return body;
    }
    return (text + SIG + Base64.getUrlEncoder().withoutPadding().encodeToString(auth.tag(body)))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns the text, or null if a signature is required and missing or wrong. */
  static String open(byte[] bytes, RecordSigner auth) {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    int at = text.lastIndexOf(SIG);
    String body = at < 0 ? text : text.substring(0, at);
    if (!auth.signs()) {
      return body;
    }
    if (at < 0) {
      return null;
    }
    byte[] tag;
    try {
      tag = Base64.getUrlDecoder().decode(text.substring(at + SIG.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return auth.verify(body.getBytes(StandardCharsets.US_ASCII), tag) ? body : null;
  }
}
