package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnicodeTextTest {

  @Test
  void pairedSurrogatesAndOrdinaryTextAreWellFormed() {
    assertTrue(UnicodeText.isWellFormed(""));
    assertTrue(UnicodeText.isWellFormed("plain ascii"));
    assertTrue(UnicodeText.isWellFormed("héllo wörld ✓"));
    assertTrue(UnicodeText.isWellFormed("\ud83d\ude00 emoji at the start and end \ud83d\ude00"));
  }

  @Test
  void aLoneOrReversedSurrogateIsNot() {
    assertFalse(UnicodeText.isWellFormed("\ud800"));
    assertFalse(UnicodeText.isWellFormed("ends with a high \ud83d"));
    assertFalse(UnicodeText.isWellFormed("\ude00 starts with a low"));
    assertFalse(UnicodeText.isWellFormed("reversed \ude00\ud83d pair"));
    assertFalse(UnicodeText.isWellFormed("two highs \ud83d\ud83d\ude00"));
  }
}
