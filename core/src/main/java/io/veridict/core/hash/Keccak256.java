package io.veridict.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Keccak-256 as used by Ethereum: the Keccak sponge of the SHA-3 submission over {@link
 * KeccakF1600} with rate 136 bytes (17 lanes), capacity 512 bits and the <em>original</em> Keccak
 * padding {@code pad10*1} with first padding byte {@code 0x01}, output the first 32 bytes of the
 * state. This is <strong>not</strong> FIPS 202 SHA3-256 (whose padding byte is {@code 0x06}): for
 * example {@code keccak256("") = c5d24601...5d85a470} while {@code sha3_256("") = a7ffc6f8...}.
 *
 * <p>Word-oriented entry points exploit that the sponge absorbs little-endian 64-bit lanes: {@link
 * #hashLongs} xors the caller's words into the state directly, and {@link #merge} is a single
 * permutation (64 bytes fit in one 136-byte block). Checked against BouncyCastle's {@code
 * KeccakDigest(256)} and published vectors.
 *
 * <p>Security: 128-bit collision resistance (capacity 512 bits). Stateless; safe for concurrent
 * use. Each call allocates one 25-lane state.
 */
public final class Keccak256 implements Hash256 {
  /** The single (stateless) instance. */
  public static final Keccak256 INSTANCE = new Keccak256();

  /** Sponge rate in bytes. */
  public static final int RATE_BYTES = 136;
  /** Sponge rate in 64-bit lanes. */
  public static final int RATE_LANES = RATE_BYTES / 8;

  /** First padding bit of the original Keccak {@code pad10*1}, as the low byte of a lane. */
  private static final long PAD_FIRST = 0x01L;
  /** Last padding bit: the top bit of the last rate lane (byte 135 = 0x80). */
  private static final long PAD_LAST = 0x80L << 56;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Keccak256() {}

  @Override
  public HashFunction id() {
    return HashFunction.KECCAK_256;
  }

  @Override
  public byte[] digest(byte[] msg) {
    long[] state = new long[KeccakF1600.STATE_LANES];
    int pos = 0;
    // 1. absorb every full block
    while (msg.length - pos >= RATE_BYTES) {
      for (int lane = 0; lane < RATE_LANES; lane++) {
        state[lane] ^= (long) LONG_LE.get(msg, pos + 8 * lane);
      }
      KeccakF1600.permute(state);
      pos += RATE_BYTES;
    }
    // 2. absorb the tail (0..135 bytes) with the padding 0x01 0x00 ... 0x00 0x80
    int tail = msg.length - pos;
    int fullLanes = tail >>> 3;
    for (int lane = 0; lane < fullLanes; lane++) {
      state[lane] ^= (long) LONG_LE.get(msg, pos + 8 * lane);
    }
    long lastLane = 0;
    int rest = tail & 7;
    for (int i = 0; i < rest; i++) {
      lastLane |= (msg[pos + 8 * fullLanes + i] & 0xFFL) << (8 * i);
    }
    lastLane |= PAD_FIRST << (8 * rest);
    state[fullLanes] ^= lastLane;
    state[RATE_LANES - 1] ^= PAD_LAST;
    KeccakF1600.permute(state);
    // 3. squeeze 32 bytes: lanes 0..3 little-endian
    byte[] out = new byte[DIGEST_BYTES];
    for (int lane = 0; lane < DIGEST_LONGS; lane++) {
      LONG_LE.set(out, 8 * lane, state[lane]);
    }
    return out;
  }

  @Override
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, src.length);
    Objects.checkFromIndexSize(outOff, DIGEST_LONGS, out.length);
    long[] state = new long[KeccakF1600.STATE_LANES];
    int pos = 0;
    while (len - pos >= RATE_LANES) {
      for (int lane = 0; lane < RATE_LANES; lane++) {
        state[lane] ^= src[off + pos + lane];
      }
      KeccakF1600.permute(state);
      pos += RATE_LANES;
    }
    int tail = len - pos;
    for (int lane = 0; lane < tail; lane++) {
      state[lane] ^= src[off + pos + lane];
    }
    state[tail] ^= PAD_FIRST;
    state[RATE_LANES - 1] ^= PAD_LAST;
    KeccakF1600.permute(state);
    System.arraycopy(state, 0, out, outOff, DIGEST_LONGS);
  }

  @Override
  public void merge(long[] left, int leftOff, long[] right, int rightOff, long[] out, int outOff) {
    long[] state = new long[KeccakF1600.STATE_LANES];
    System.arraycopy(left, leftOff, state, 0, DIGEST_LONGS);
    System.arraycopy(right, rightOff, state, DIGEST_LONGS, DIGEST_LONGS);
    state[2 * DIGEST_LONGS] = PAD_FIRST;
    state[RATE_LANES - 1] = PAD_LAST;
    KeccakF1600.permute(state);
    System.arraycopy(state, 0, out, outOff, DIGEST_LONGS);
  }
}
