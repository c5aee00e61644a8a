package io.veridict.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SHA-256 against the FIPS 180-4 examples, its word entry points, and concurrent use. */
class Sha256KatTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * NIST "Cryptographic Standards and Guidelines: Examples with Intermediate Values", SHA-256:
   * the one-block message "abc", the empty message, and the two-block 448-bit message.
   */
  @ParameterizedTest(name = "FIPS 180-4 example {index}")
  @CsvSource({
    "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq, "
        + "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
  })
  void digest_fipsExamples(String msg, String expected) {
    assertEquals(
        expected, HEX.formatHex(Sha256.INSTANCE.digest(msg.getBytes(StandardCharsets.US_ASCII))));
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
  void hashLongsAndMerge_hashTheLittleEndianBytes() {
    long seed = 41;
    Random random = new Random(seed);
    for (int len = 0; len <= 40; len++) {
      int off = random.nextInt(3);
      long[] src = new long[off + len];
      for (int i = 0; i < src.length; i++) {
        src[i] = random.nextLong();
      }
      long[] out = new long[5];
      Sha256.INSTANCE.hashLongs(src, off, len, out, 1);
      assertArrayEquals(
          digestWords(Sha256.INSTANCE.digest(leBytes(src, off, len))),
          Arrays.copyOfRange(out, 1, 5),
          "seed " + seed + " words " + len);
    }
    long[] node = {1, -2, 3, Long.MIN_VALUE, 5, 6, Long.MAX_VALUE, 8};
    long[] expected = digestWords(Sha256.INSTANCE.digest(leBytes(node, 0, 8)));
    long[] out = new long[4];
    Sha256.INSTANCE.merge(node, 0, node, 4, out, 0);
    assertArrayEquals(expected, out);
    Sha256.INSTANCE.merge(node, 0, node, 4, node, 4);
    assertArrayEquals(expected, Arrays.copyOfRange(node, 4, 8), "out may alias an input");
  }

  @Test
  void digest_isSafeForConcurrentUse() throws Exception {
    long seed = 42;
    Random random = new Random(seed);
    byte[][] messages = new byte[64][];
    byte[][] expected = new byte[64][];
    for (int i = 0; i < messages.length; i++) {
      messages[i] = new byte[random.nextInt(300)];
      random.nextBytes(messages[i]);
      expected[i] = Sha256.INSTANCE.digest(messages[i]);
    }
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      int task = t;
      tasks.add(() -> allDigestsMatch(messages, expected, task));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (Future<Boolean> r : pool.invokeAll(tasks)) {
        assertEquals(true, r.get(), "a concurrent digest differed (seed " + seed + ")");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean allDigestsMatch(byte[][] messages, byte[][] expected, int task) {
    for (int round = 0; round < 200; round++) {
      int i = (task * 7 + round) % messages.length;
      if (!Arrays.equals(expected[i], Sha256.INSTANCE.digest(messages[i]))) {
        return false;
      }
    }
    return true;
  }
}
