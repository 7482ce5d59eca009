package io.memjcache.security;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a list of shared secrets: entries {@code id=base64key} separated by newlines or commas,
 * blank lines and {@code #} comments ignored, or one bare {@code base64key} (id 0). Keys are 16 to
 * 64 random bytes in base64 (standard or URL-safe, padding optional); ids 0 to 255, each once.
 *
 * <p>Errors name the setting and the entry's position, never the key material.
 */
final class KeyListParser {

  static final int MIN_KEY_BYTES = 16;
  static final int MAX_KEY_BYTES = 64;

  private KeyListParser() {}

  /** Returns the keys in the order listed; {@code source} names the setting for errors. */
  static List<SecretKey> parse(String source, String text) {
    List<SecretKey> keys = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    List<String> entries = entries(text);
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      int eq = entry.indexOf('=');
      boolean bare = eq <= 0 || !entry.substring(0, eq).trim().chars().allMatch(Character::isDigit);
      if (bare && entries.size() > 1) {
        throw new IllegalArgumentException(source + ": entry " + (i + 1)
            + " is not id=base64key (a bare key is allowed only alone)");
      }
      int id = bare ? 0 : id(source, i, entry.substring(0, eq).trim());
      if (!ids.add(id)) {
        throw new IllegalArgumentException(source + ": key id " + id + " is listed twice");
      }
      keys.add(SecretKey.derive(id, material(source, i, bare ? entry : entry.substring(eq + 1).trim())));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(source + ": no key found");
    }
    return keys;
  }

  private static List<String> entries(String text) {
    List<String> entries = new ArrayList<>();
    for (String line : text.split("[\\r\\n,]")) {
      String entry = line.trim();
      if (!entry.isEmpty() && !entry.startsWith("#")) {
        entries.add(entry);
      }
    }
    return entries;
  }

  private static int id(String source, int index, String text) {
    try {
      int id = Integer.parseInt(text);
      if (id >= 0 && id <= 255) {
        return id;
      }
    } catch (NumberFormatException tooLong) {
      // reported below
    }
    throw new IllegalArgumentException(source + ": entry " + (index + 1) + " has key id '" + text
        + "'; ids are whole numbers from 0 to 255");
  }

  private static byte[] material(String source, int index, String base64) {
    byte[] key;
    try {
      // the basic decoder does not require padding; URL-safe letters mapped to standard ones
      key = Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": entry " + (index + 1) + " is not valid base64");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(source + ": entry " + (index + 1) + " decodes to " + key.length
          + " bytes; a key is " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
          + " random bytes (e.g. `openssl rand -base64 32`)");
    }
    return key;
  }
}
