package io.veridict.core.proof;

import io.veridict.core.field.ExtField;
import io.veridict.core.field.FieldExtension;
import io.veridict.core.hash.Hash256;
import io.veridict.core.transcript.Transcript;

/**
 * The STARK protocol's Fiat–Shamir schedule, shared by prover and verifier so the two cannot drift.
 * The order of operations is documented step by step in {@code docs/transcript.md}.
 *
 * <p>Before the first challenge the transcript absorbs the protocol version, every proof option,
 * the trace shape, the sizes derived from them (randomizer count, degree bound, FRI layers and
 * final length), the AIR identity and all public inputs (length-bound), so no challenge can be
 * reused across statements or parameter sets.
 */
public final class StarkTranscript {
  public static final String PROTOCOL = "veridict/stark/v1";

  private StarkTranscript() {}

  /** Starts the transcript and binds the statement. */
  public static Transcript begin(
      ProofOptions o, int logTraceLength, int mainWidth, int auxWidth, byte[] airId, long[] publicInputs) {
    Transcript t = new Transcript(PROTOCOL);
    // The derived sizes too: they follow from the values above and the version, but binding them
    // means no change of the layout rule can ever let two readings of one transcript coexist.
    StarkLayout.FriPlan plan = StarkLayout.plan(logTraceLength, o.logBlowup(), o);
    t.absorbLongs(
        "context",
        new long[] {
          StarkProof.VERSION,
          o.hash().code(),
          o.extension().code(),
          o.logBlowup(),
          o.numQueries(),
          o.grindingBits(),
          o.foldingArity(),
          o.logFinalPolyMinLength(),
          o.zeroKnowledge() ? 1 : 0,
          logTraceLength,
          mainWidth,
          auxWidth,
          plan.randomizerCount(),
          plan.degreeBound(),
          plan.numFriLayers(),
          plan.finalPolyLength()
        });
    t.absorbBytes("air-id", airId);
    t.absorbLongs("public-inputs", publicInputs);
    return t;
  }

  /**
   * Draws the out-of-domain point. Points in the base field are redrawn: every trace-domain and
   * LDE-domain point is in the base field, so an extension point outside it can never coincide
   * with one (and {@code z^n != 1}, {@code z != g^k}).
   */
  public static long[] drawOodPoint(Transcript t, FieldExtension ext) {
    ExtField f = ExtField.of(ext);
    for (int attempt = 0; ; attempt++) {
      long[] z = t.challengeExt("ood-point/" + attempt, ext);
      if (!f.isBase(z, 0)) {
        return z;
      }
    }
  }

  /** The seed the proof-of-work nonce is searched against. */
  public static long[] powSeed(Transcript t) {
    byte[] b = t.challengeBytes("pow-seed", 32);
    long[] s = new long[4];
    for (int i = 0; i < 4; i++) {
      s[i] = io.veridict.core.field.Goldilocks.fromBytesLe(b, 8 * i);
    }
    return s;
  }

  /**
   * Whether {@code nonce} meets {@code grindingBits} against {@code seed}: the first 64-bit word
   * of {@code H(seed || nonce)} has at least {@code grindingBits} trailing zero bits. Uses a bit
   * count, not a shifted mask, so no shift can overflow ({@code grindingBits} is at most 32 by
   * construction and 64 would still be handled correctly).
   */
  public static boolean checkPow(Hash256 hash, long[] seed, long nonce, int grindingBits) {
    if (grindingBits <= 0) {
      return true;
    }
    if (grindingBits > 64) {
      return false;
    }
    long[] in = {seed[0], seed[1], seed[2], seed[3], nonce};
    long[] out = new long[4];
    hash.hashLongs(in, 0, 5, out, 0);
    return Long.numberOfTrailingZeros(out[0]) >= grindingBits;
  }
}
