package io.veridict.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keccak-256 (Ethereum) and Keccak-f[1600] against published vectors, and differentially against
 * BouncyCastle's {@code KeccakDigest(256)}.
 */
class Keccak256KatTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] bouncyCastle(byte[] msg) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(msg, 0, msg.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  private static byte[] leBytes(long[] words, int off, int len) {
    ByteBuffer b = ByteBuffer.allocate(8 * len).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < len; i++) {
      b.putLong(words[off + i]);
    }
    return b.array();
  }

  private static long[] digestWords(byte[] digest) {
    long[] w = new long[4];
    ByteBuffer.wrap(digest).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(w);
    return w;
  }

  /** Ethereum's well-known values (e.g. the empty-code hash {@code keccak256("")}). */
  @ParameterizedTest(name = "keccak256(\"{0}\")")
  @CsvSource({
    "'', c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    "abc, 4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
    "'Transfer(address,address,uint256)', "
        + "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
  })
  void digest_ethereumVectors(String msg, String expected) {
    byte[] ascii = msg.getBytes(StandardCharsets.US_ASCII);
    assertEquals(expected, HEX.formatHex(Keccak256.INSTANCE.digest(ascii)));
  }

  /**
   * The Keccak team's round-3 known answers for Keccak-256 ({@code KeccakKAT/ShortMsgKAT_256.txt}):
   * Len = 8, Len = 1080 (135 bytes, rate - 1: the padding fills one byte) and Len = 1088 (136
   * bytes, exactly the rate: the padding takes a whole second block).
   */
  @ParameterizedTest(name = "ShortMsgKAT_256 {index}")
  @CsvSource({
    "cc, eead6dbfc7340a56caedc044696a168870549a6a7f6f56961e84a54bd9970b8a",
    "b771d5cef5d1a41a93d15643d7181d2a2ef0a8e84d91812f20ed21f147bef732"
        + "bf3a60ef4067c3734b85bc8cd471780f10dc9e8291b58339a677b960218f71e7"
        + "93f2797aea349406512829065d37bb55ea796fa4f56fd8896b49b2cd19b43215"
        + "ad967c712b24e5032d065232e02c127409d2ed4146b9d75d763d52db98d949d3"
        + "b0fed6a8052fbb, bd6f5492582a7c1b116304de28314df9fffe95b0da11af52fe9440a717a34859",
    "b32d95b0b9aad2a8816de6d06d1f86008505bd8c14124f6e9a163b5a2ade55f8"
        + "35d0ec3880ef50700d3b25e42cc0af050ccd1be5e555b23087e04d7bf9813622"
        + "780c7313a1954f8740b6ee2d3f71f768dd417f520482bd3a08d4f222b4ee9dbd"
        + "015447b33507dd50f3ab4247c5de9a8abd62a8decea01e3b87c8b927f5b08beb"
        + "37674c6f8e380c04, e717a7769448abbe5fef8187954a88ac56ded1d22e63940ab80d029585a21921"
  })
  void digest_keccakTeamKnownAnswers(String msgHex, String expected) {
    byte[] msg = HEX.parseHex(msgHex);
    assertEquals(expected, HEX.formatHex(Keccak256.INSTANCE.digest(msg)), "length " + msg.length);
  }

  @Test
  void digest_isNotFips202Sha3() throws Exception {
    byte[] sha3 = MessageDigest.getInstance("SHA3-256").digest(new byte[0]);
    assertEquals(
        "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", HEX.formatHex(sha3));
    assertNotEquals(HEX.formatHex(sha3), HEX.formatHex(Keccak256.INSTANCE.digest(new byte[0])));
  }

  /**
   * Keccak-f[1600] of the all-zero state, applied once and twice: XKCP {@code
   * tests/TestVectors/KeccakF-1600-IntermediateValues.txt}.
   */
  @Test
  void permute_zeroState_matchesXkcpIntermediateValues() {
    long[] expected = {
      0xF1258F7940E1DDE7L, 0x84D5CCF933C0478AL, 0xD598261EA65AA9EEL, 0xBD1547306F80494DL,
      0x8B284E056253D057L, 0xFF97A42D7F8E6FD4L, 0x90FEE5A0A44647C4L, 0x8C5BDA0CD6192E76L,
      0xAD30A6F71B19059CL, 0x30935AB7D08FFC64L, 0xEB5AA93F2317D635L, 0xA9A6E6260D712103L,
      0x81A57C16DBCF555FL, 0x43B831CD0347C826L, 0x01F22F1A11A5569FL, 0x05E5635A21D9AE61L,
      0x64BEFEF28CC970F2L, 0x613670957BC46611L, 0xB87C5A554FD00ECBL, 0x8C3EE88A1CCF32C8L,
      0x940C7922AE3A2614L, 0x1841F924A2C509E4L, 0x16F53526E70465C2L, 0x75F644E97F30A13BL,
      0xEAF1FF7B5CECA249L
    };
    long[] state = new long[25];
    KeccakF1600.permute(state);
    assertArrayEquals(expected, state);
    KeccakF1600.permute(state);
    assertEquals(0x2D5C954DF96ECB3CL, state[0], "lane 0 after the second application");
  }

  @Test
  void permute_rejectsWrongStateSize() {
    assertThrows(IllegalArgumentException.class, () -> KeccakF1600.permute(new long[24]));
    assertThrows(IllegalArgumentException.class, () -> KeccakF1600.permute(new long[26]));
  }

  @Test
  void digest_everyLengthAroundTheRate_matchesBouncyCastle() {
    long seed = 5;
    Random random = new Random(seed);
    for (int len = 0; len <= 420; len++) { // covers 135/136/137, 271/272/273, 407/408/409
      byte[] msg = new byte[len];
      random.nextBytes(msg);
      assertArrayEquals(bouncyCastle(msg), Keccak256.INSTANCE.digest(msg), "seed 5 length " + len);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {6, 7})
  void digest_randomLengths_matchBouncyCastle(long seed) {
    Random random = new Random(seed);
    for (int k = 0; k < 200; k++) {
      byte[] msg = new byte[random.nextInt(5001)];
      random.nextBytes(msg);
      assertArrayEquals(
          bouncyCastle(msg),
          Keccak256.INSTANCE.digest(msg),
          "seed " + seed + " case " + k + " length " + msg.length);
    }
  }

  @Test
  void hashLongs_everyWordCountUpTo80_matchesBouncyCastle() {
    long seed = 8;
    Random random = new Random(seed);
    for (int len = 0; len <= 80; len++) { // crosses the 17-lane rate at 16/17/18, 33/34/35, ...
      int off = random.nextInt(4);
      long[] src = new long[off + len + random.nextInt(4)];
      for (int i = 0; i < src.length; i++) {
        src[i] = random.nextLong();
      }
      long[] out = new long[4];
      Keccak256.INSTANCE.hashLongs(src, off, len, out, 0);
      assertArrayEquals(
          digestWords(bouncyCastle(leBytes(src, off, len))),
          out,
          "seed " + seed + " words " + len + " offset " + off);
    }
  }

  @Test
  void merge_matchesBouncyCastle_andMayAliasEitherInput() {
    long seed = 9;
    Random random = new Random(seed);
    for (int k = 0; k < 300; k++) {
      long[] node = new long[8];
      for (int i = 0; i < 8; i++) {
        node[i] = random.nextLong();
      }
      long[] expected = digestWords(bouncyCastle(leBytes(node, 0, 8)));
      long[] out = new long[4];
      Keccak256.INSTANCE.merge(node, 0, node, 4, out, 0);
      assertArrayEquals(expected, out, "seed " + seed + " case " + k);

      long[] alias = node.clone();
      Keccak256.INSTANCE.merge(alias, 0, alias, 4, alias, 0);
      assertArrayEquals(expected, Arrays.copyOf(alias, 4), "alias left, seed 9 case " + k);
      alias = node.clone();
      Keccak256.INSTANCE.merge(alias, 0, alias, 4, alias, 4);
      assertArrayEquals(
          expected, Arrays.copyOfRange(alias, 4, 8), "alias right, seed 9 case " + k);
    }
  }

  @Test
  void hashLongs_rejectsRangesOutsideTheArrays() {
    long[] src = new long[10];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Keccak256.INSTANCE.hashLongs(src, 8, 3, new long[4], 0));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Keccak256.INSTANCE.hashLongs(src, 0, 2, new long[4], 1));
  }
}
