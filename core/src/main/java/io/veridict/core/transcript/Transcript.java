package io.veridict.core.transcript;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.KeccakF1600;
import java.nio.charset.StandardCharsets;

/**
 * The Fiat–Shamir transcript: a duplex sponge over Keccak-f[1600] (rate 136 bytes, capacity 512
 * bits) with framed, length-binding operations.
 *
 * <p>Every operation is framed before it touches the sponge: {@code op-byte || label-length (1
 * byte) || label || payload-length (8 bytes LE) || payload}. Because each frame states its own
 * length, distinct operation sequences always feed distinct byte strings into the sponge (so
 * absorbing {@code [5,7]} differs from {@code [5,7,0,0]}, and an absorb can never be confused with
 * its neighbour). A squeeze absorbs its own frame (op, label, requested length), pads (pad10*1)
 * and permutes before output, so every challenge depends on everything absorbed before it and on
 * its own label. The sponge is initialised with a protocol label.
 *
 * <p>Challenges: field elements by rejection sampling of 64-bit words ({@code >= p} is discarded,
 * so the distribution is exactly uniform); extension elements coordinate-wise; indices in a
 * power-of-two range by masking 64-bit words (exactly uniform). See {@code docs/transcript.md} for
 * the order of operations in the STARK protocol.
 *
 * <p>Not thread-safe; one transcript per proof.
 */
public final class Transcript {
  private static final int RATE = 136;
  private static final byte OP_ABSORB = 1;
  private static final byte OP_SQUEEZE = 2;

  private final long[] state = new long[25];
  private int pos;
  private boolean squeezing;

  /** Starts a transcript for the protocol named {@code protocolLabel}. */
  public Transcript(String protocolLabel) {
    absorbBytes("protocol", protocolLabel.getBytes(StandardCharsets.UTF_8));
  }

  /** Copies the full sponge state (used to fork a transcript, e.g. for proof-of-work search). */
  public Transcript copy() {
    Transcript t = new Transcript();
    System.arraycopy(state, 0, t.state, 0, 25);
    t.pos = pos;
    t.squeezing = squeezing;
    return t;
  }

  private Transcript() {}

  // --- raw sponge -------------------------------------------------------------------------------

  private void rawAbsorbByte(int b) {
    if (squeezing) {
      KeccakF1600.permute(state);
      pos = 0;
      squeezing = false;
    }
    int lane = pos >>> 3;
    state[lane] ^= (b & 0xFFL) << ((pos & 7) * 8);
    pos++;
    if (pos == RATE) {
      KeccakF1600.permute(state);
      pos = 0;
    }
  }

  private void rawAbsorb(byte[] data, int off, int len) {
    for (int i = 0; i < len; i++) {
      rawAbsorbByte(data[off + i]);
    }
  }

  private void rawAbsorbLongLe(long v) {
    for (int i = 0; i < 8; i++) {
      rawAbsorbByte((int) (v >>> (8 * i)));
    }
  }

  private void padAndPermute() {
    // pad10*1 within the rate.
    state[pos >>> 3] ^= 0x01L << ((pos & 7) * 8);
    state[(RATE - 1) >>> 3] ^= 0x80L << (((RATE - 1) & 7) * 8);
    KeccakF1600.permute(state);
    pos = 0;
    squeezing = true;
  }

  private int rawSqueezeByte() {
    if (pos == RATE) {
      KeccakF1600.permute(state);
      pos = 0;
    }
    int b = (int) (state[pos >>> 3] >>> ((pos & 7) * 8)) & 0xFF;
    pos++;
    return b;
  }

  private void frame(byte op, String label, long payloadLength) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    if (l.length > 255) {
      throw new IllegalArgumentException("transcript label longer than 255 bytes: " + label);
    }
    rawAbsorbByte(op);
    rawAbsorbByte(l.length);
    rawAbsorb(l, 0, l.length);
    rawAbsorbLongLe(payloadLength);
  }

  // --- absorbs ------------------------------------------------------------------------------------

  /** Absorbs a labelled byte string. */
  public void absorbBytes(String label, byte[] data) {
    frame(OP_ABSORB, label, data.length);
    rawAbsorb(data, 0, data.length);
  }

  /** Absorbs a labelled vector of 64-bit words (field elements or digests), 8 bytes LE each. */
  public void absorbLongs(String label, long[] words) {
    absorbLongs(label, words, 0, words.length);
  }

  /** Absorbs {@code len} words of {@code words} starting at {@code off}. */
  public void absorbLongs(String label, long[] words, int off, int len) {
    frame(OP_ABSORB, label, 8L * len);
    for (int i = 0; i < len; i++) {
      rawAbsorbLongLe(words[off + i]);
    }
  }

  /** Absorbs a labelled integer. */
  public void absorbInt(String label, long value) {
    absorbLongs(label, new long[] {value});
  }

  // --- squeezes -----------------------------------------------------------------------------------

  /** Squeezes {@code len} labelled challenge bytes. */
  public byte[] challengeBytes(String label, int len) {
    frame(OP_SQUEEZE, label, len);
    padAndPermute();
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = (byte) rawSqueezeByte();
    }
    return out;
  }

  private long squeezeWord() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= ((long) rawSqueezeByte()) << (8 * i);
    }
    return v;
  }

  /** A uniformly random base-field element. */
  public long challengeField(String label) {
    frame(OP_SQUEEZE, label, 8);
    padAndPermute();
    while (true) {
      long v = squeezeWord();
      if (Goldilocks.isCanonical(v)) {
        return v;
      }
    }
  }

  /** A uniformly random element of {@code ext}, as {@code ext.degree()} longs. */
  public long[] challengeExt(String label, FieldExtension ext) {
    int d = ext.degree();
    frame(OP_SQUEEZE, label, 8L * d);
    padAndPermute();
    long[] r = new long[d];
    for (int i = 0; i < d; i++) {
      long v;
      do {
        v = squeezeWord();
      } while (!Goldilocks.isCanonical(v));
      r[i] = v;
    }
    return r;
  }

  /** {@code count} independent uniform extension elements, interleaved. */
  public long[] challengeExtVector(String label, FieldExtension ext, int count) {
    int d = ext.degree();
    frame(OP_SQUEEZE, label, 8L * d * count);
    padAndPermute();
    long[] r = new long[d * count];
    for (int i = 0; i < d * count; i++) {
      long v;
      do {
        v = squeezeWord();
      } while (!Goldilocks.isCanonical(v));
      r[i] = v;
    }
    return r;
  }

  /**
   * {@code count} uniform indices in {@code [0, 2^logDomain)} (with repetition, in draw order).
   *
   * @throws IllegalArgumentException unless {@code 0 <= logDomain <= 31} (indices are {@code int}s)
   */
  public int[] challengeIndices(String label, int count, int logDomain) {
    if (logDomain < 0 || logDomain > 31) {
      throw new IllegalArgumentException("logDomain must be in [0, 31], got " + logDomain);
    }
    frame(OP_SQUEEZE, label, 8L * count);
    padAndPermute();
    long mask = logDomain == 0 ? 0L : (-1L >>> (64 - logDomain));
    int[] r = new int[count];
    for (int i = 0; i < count; i++) {
      r[i] = (int) (squeezeWord() & mask);
    }
    return r;
  }
}
