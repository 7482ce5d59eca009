package io.memjcache.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyListParserTest {

  static final String K1 = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B');
  static final String K2 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]).replace('A', 'Q');

  private static List<Integer> ids(String text) {
    return KeyListParser.parse("memjcache.secret", text).stream().map(SecretKey::id).toList();
  }

  private static String error(String text) {
    return assertThrows(IllegalArgumentException.class, () -> ids(text)).getMessage();
  }

  @Test
  void aBareKeyHasIdZero() {
    assertEquals(List.of(0), ids(K1));
  }

  @Test
  void aListKeepsItsOrderAcrossLinesCommasCommentsAndBlankLines() {
    assertEquals(List.of(7, 3), ids("# rotated 2026-11\n7=" + K2 + "\n\n  3 = " + K1 + "\n"));
    assertEquals(List.of(2, 1), ids("2=" + K1 + ",1=" + K2));
  }

  @Test
  void mistakesAreErrorsNamingTheSettingNeverTheKey() {
    String[] bad = {"", "# only a comment", "1=" + K1 + "\n1=" + K2, "256=" + K1, "x=" + K1 + ",1=" + K2,
        "1=" + K1 + "\n" + K2, "1=not*base64", "1=" + K1.substring(0, 16)};
    for (String text : bad) {
      String message = error(text);
      assertTrue(message.startsWith("memjcache.secret: "), message);
      assertFalse(message.contains(K1) || message.contains(K2.substring(0, 8)), message);
    }
    assertTrue(error("1=" + K1 + "\n1=" + K2).contains("listed twice"));
    assertTrue(error("1=" + K1.substring(0, 16)).contains("16 to 64"));
  }

  @Test
  void aKeyRingPrintsIdsOnly() {
    KeyRing ring = KeyRing.parse("memjcache.secret", "2=" + K1 + ",1=" + K2);
    assertEquals("secret keys [2, 1]", ring.toString());
    assertEquals("no secret", KeyRing.NONE.toString());
  }
}
