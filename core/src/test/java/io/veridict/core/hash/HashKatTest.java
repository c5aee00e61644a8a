package io.veridict.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veridict.core.field.Goldilocks;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known-answer tests for the commitment hashes, and differential tests of the word-oriented entry
 * points ({@code hashLongs}, {@code merge}) against {@code digest} over the same bytes.
 */
class HashKatTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Input of the official BLAKE3 vectors: bytes 0, 1, ..., 250, 0, 1, ... */
  private static byte[] blake3Input(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  /**
   * BLAKE3-team/BLAKE3 {@code test_vectors/test_vectors.json}, "hash" mode: the first 32 bytes
   * of each extended output.
   */
  @ParameterizedTest(name = "BLAKE3 official vector, {0} bytes")
  @CsvSource({
    "0, af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
    "1, 2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
    "1023, 10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11",
    "1024, 42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
    "1025, d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444",
    "2048, e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a",
    "2049, 5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b687952256303",
    "3072, b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2",
    "4096, 015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969",
    "5121, 628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff",
    "7169, a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e7817"
  })
  void blake3OfficialVectors(int len, String expectedPrefix) {
    byte[] in = blake3Input(len);
    String actual = HEX.formatHex(Blake3.INSTANCE.digest(in));
    assertEquals(expectedPrefix, actual.substring(0, expectedPrefix.length()));
    if (len % 8 == 0) {
      // The word-oriented path (own compression function up to one 1024-byte chunk).
      long[] words = new long[len / 8];
      for (int i = 0; i < words.length; i++) {
        words[i] = Goldilocks.fromBytesLe(in, 8 * i);
      }
      long[] out = new long[4];
      Blake3.INSTANCE.hashLongs(words, 0, words.length, out, 0);
      byte[] outBytes = new byte[32];
      for (int i = 0; i < 4; i++) {
        Goldilocks.toBytesLe(out[i], outBytes, 8 * i);
      }
      assertEquals(expectedPrefix, HEX.formatHex(outBytes).substring(0, expectedPrefix.length()));
    }
  }

  @ParameterizedTest(name = "Keccak-256 of \"{0}\"")
  @CsvSource({
    "'', c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    "abc, 4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
    "The quick brown fox jumps over the lazy dog, 4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"
  })
  void keccak256Vectors(String msg, String expected) {
    assertEquals(expected, HEX.formatHex(Keccak256.INSTANCE.digest(msg.getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void keccak256IsNotSha3() {
    // The JDK's SHA3-256 of "" is a7ffc6f8...; Keccak-256 (Ethereum) differs by its padding.
    assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        HEX.formatHex(Keccak256.INSTANCE.digest(new byte[0])));
  }

  @ParameterizedTest(name = "SHA-256 FIPS 180-4 vector {index}")
  @CsvSource({
    "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq, 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
  })
  void sha256Vectors(String msg, String expected) {
    assertEquals(expected, HEX.formatHex(Sha256.INSTANCE.digest(msg.getBytes(StandardCharsets.US_ASCII))));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(HashFunction.class)
  void wordPathsAgreeWithTheByteDigest(HashFunction id) {
    Hash256 h = Hash256.of(id);
    SplittableRandom r = new SplittableRandom(31);
    for (int len = 0; len <= 140; len++) {
      long[] words = new long[len];
      byte[] bytes = new byte[8 * len];
      for (int i = 0; i < len; i++) {
        words[i] = r.nextLong();
        Goldilocks.toBytesLe(words[i], bytes, 8 * i);
      }
      long[] out = new long[4];
      h.hashLongs(words, 0, len, out, 0);
      assertArrayEquals(toWords(h.digest(bytes)), out, id + " length " + len + " (seed 31)");
    }
    long[] a = {1, 2, 3, 4};
    long[] b = {5, 6, 7, 8};
    long[] merged = new long[4];
    h.merge(a, 0, b, 0, merged, 0);
    long[] concat = {1, 2, 3, 4, 5, 6, 7, 8};
    long[] viaWords = new long[4];
    h.hashLongs(concat, 0, 8, viaWords, 0);
    assertArrayEquals(viaWords, merged);
    h.merge(a, 0, b, 0, a, 0);
    assertArrayEquals(merged, a, "output may alias an input");
  }

  @ParameterizedTest(name = "BLAKE3 vs BouncyCastle, seed {0}")
  @ValueSource(longs = {1, 2})
  void blake3AgreesWithBouncyCastleOnRandomLengths(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 300; k++) {
      byte[] m = new byte[r.nextInt(0, 5000)];
      r.nextBytes(m);
      org.bouncycastle.crypto.digests.Blake3Digest d = new org.bouncycastle.crypto.digests.Blake3Digest(256);
      d.update(m, 0, m.length);
      byte[] expected = new byte[32];
      d.doFinal(expected, 0);
      assertArrayEquals(expected, Blake3.INSTANCE.digest(m), "seed " + seed + " #" + k);
    }
  }

  private static long[] toWords(byte[] digest) {
    long[] w = new long[4];
    for (int i = 0; i < 4; i++) {
      w[i] = Goldilocks.fromBytesLe(digest, 8 * i);
    }
    return w;
  }
}
