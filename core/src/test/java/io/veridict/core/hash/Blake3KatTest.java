package io.veridict.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BLAKE3 against the official vectors (BLAKE3-team/BLAKE3 {@code test_vectors/test_vectors.json},
 * hash mode, first 32 bytes of each extended output; stored with their source in {@code
 * blake3_test_vectors.json}) and differentially against BouncyCastle's {@code Blake3Digest}.
 */
class Blake3KatTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String VECTORS = "blake3_test_vectors.json";
  /** Number of cases in the stored copy of the official file. */
  private static final int OFFICIAL_CASES = 22;

  private record Vector(int inputLen, String hash32) {}

  private static List<Vector> officialVectors() {
    String json;
    try (InputStream in = Blake3KatTest.class.getResourceAsStream(VECTORS)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + VECTORS);
      }
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Matcher m =
        Pattern.compile("\"input_len\":\\s*(\\d+),\\s*\"hash32\":\\s*\"([0-9a-f]{64})\"")
            .matcher(json);
    List<Vector> vectors = new ArrayList<>();
    while (m.find()) {
      vectors.add(new Vector(Integer.parseInt(m.group(1)), m.group(2)));
    }
    return vectors;
  }

  static Stream<Arguments> officialVectorArguments() {
    return officialVectors().stream().map(v -> Arguments.of(v.inputLen(), v.hash32()));
  }

  /** The official input: {@code len} bytes, byte {@code i} = {@code i mod 251}. */
  private static byte[] officialInput(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  private static byte[] bouncyCastle(byte[] msg) {
    Blake3Digest d = new Blake3Digest(256);
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

  @Test
  void vectorFile_holdsEveryOfficialCase() {
    List<Vector> vectors = officialVectors();
    assertEquals(OFFICIAL_CASES, vectors.size(), "cases parsed from " + VECTORS);
    // Single block, one chunk, chunk boundaries and a deep tree are all represented.
    List<Integer> lengths = vectors.stream().map(Vector::inputLen).toList();
    for (int len : new int[] {0, 1, 1023, 1024, 1025, 2048, 2049, 8193, 102400}) {
      assertTrue(lengths.contains(len), "official case " + len + " present");
    }
  }

  @ParameterizedTest(name = "input_len {0}")
  @MethodSource("officialVectorArguments")
  void digest_officialVector_matches(int inputLen, String hash32) {
    byte[] input = officialInput(inputLen);
    assertEquals(hash32, HEX.formatHex(Blake3.INSTANCE.digest(input)), "digest, len " + inputLen);
    if (inputLen % 8 == 0) {
      long[] words = new long[inputLen / 8];
      ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
      long[] out = new long[4];
      Blake3.INSTANCE.hashLongs(words, 0, words.length, out, 0);
      assertArrayEquals(digestWords(HEX.parseHex(hash32)), out, "hashLongs, len " + inputLen);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void digest_randomLengths_matchBouncyCastle(long seed) {
    Random random = new Random(seed);
    for (int k = 0; k < 200; k++) {
      byte[] msg = new byte[random.nextInt(5001)];
      random.nextBytes(msg);
      assertArrayEquals(
          bouncyCastle(msg),
          Blake3.INSTANCE.digest(msg),
          "seed " + seed + " case " + k + " length " + msg.length);
    }
  }

  @Test
  void digest_boundaryLengths_matchBouncyCastle() {
    long seed = 11;
    Random random = new Random(seed);
    int[] lengths = {
      0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 959, 960, 1023, 1024, 1025, 1088, 2047, 2048, 2049,
      3071, 3072, 3073, 4095, 4096, 4097, 5119, 5120, 5121, 8191, 8192, 8193, 16384, 16385, 31744,
      65536, 65537
    };
    for (int len : lengths) {
      byte[] msg = new byte[len];
      random.nextBytes(msg);
      assertArrayEquals(
          bouncyCastle(msg), Blake3.INSTANCE.digest(msg), "seed " + seed + " length " + len);
    }
  }

  @Test
  void hashLongs_everyWordCountUpTo400_matchesBouncyCastle() {
    long seed = 21;
    Random random = new Random(seed);
    for (int len = 0; len <= 400; len++) {
      int off = random.nextInt(5);
      long[] src = new long[off + len + random.nextInt(5)];
      for (int i = 0; i < src.length; i++) {
        src[i] = random.nextLong();
      }
      long[] out = new long[6];
      int outOff = random.nextInt(3);
      Blake3.INSTANCE.hashLongs(src, off, len, out, outOff);
      long[] actual = {out[outOff], out[outOff + 1], out[outOff + 2], out[outOff + 3]};
      assertArrayEquals(
          digestWords(bouncyCastle(leBytes(src, off, len))),
          actual,
          "seed " + seed + " words " + len + " offset " + off);
    }
  }

  @Test
  void merge_matchesBouncyCastle_andMayAliasEitherInput() {
    long seed = 31;
    Random random = new Random(seed);
    for (int k = 0; k < 500; k++) {
      long[] left = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
      long[] right = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
      long[] concat = new long[8];
      System.arraycopy(left, 0, concat, 0, 4);
      System.arraycopy(right, 0, concat, 4, 4);
      long[] expected = digestWords(bouncyCastle(leBytes(concat, 0, 8)));

      long[] out = new long[4];
      Blake3.INSTANCE.merge(left, 0, right, 0, out, 0);
      assertArrayEquals(expected, out, "seed " + seed + " case " + k);

      long[] tree = new long[12];
      System.arraycopy(concat, 0, tree, 4, 8);
      Blake3.INSTANCE.merge(tree, 4, tree, 8, tree, 4); // out aliases the left input
      assertArrayEquals(expected, Arrays.copyOfRange(tree, 4, 8), "alias left, " + k);
      System.arraycopy(concat, 0, tree, 0, 8);
      Blake3.INSTANCE.merge(tree, 0, tree, 4, tree, 4); // out aliases the right input
      assertArrayEquals(expected, Arrays.copyOfRange(tree, 4, 8), "alias right, " + k);
    }
  }

  @Test
  void merge_andShortHashLongs_doNotAllocate() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] node = {1, 2, 3, 4, 5, 6, 7, 8};
    long[] out = new long[4];
    for (int i = 0; i < 20_000; i++) { // warm up (JIT compiles in other threads)
      Blake3.INSTANCE.merge(node, 0, node, 4, out, 0);
      Blake3.INSTANCE.hashLongs(node, 0, 1 + (i & 7), out, 0);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      Blake3.INSTANCE.merge(node, 0, out, 0, out, 0);
      Blake3.INSTANCE.hashLongs(node, 0, i & 7, out, 0);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 4096, "20000 calls allocated " + allocated + " bytes");
  }

  @Test
  void hashLongs_rejectsRangesOutsideTheArrays() {
    long[] src = new long[10];
    long[] out = new long[4];
    assertThrows(
        IndexOutOfBoundsException.class, () -> Blake3.INSTANCE.hashLongs(src, 8, 3, out, 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> Blake3.INSTANCE.hashLongs(src, 0, -1, out, 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> Blake3.INSTANCE.hashLongs(src, 0, 200, out, 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> Blake3.INSTANCE.hashLongs(src, 0, 2, out, 1));
  }
}
