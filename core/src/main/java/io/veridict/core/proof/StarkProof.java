package io.veridict.core.proof;

import java.util.List;

/**
 * A STARK proof, as produced by the prover and decoded by {@link ProofCodec}. Field-element arrays
 * hold canonical values; extension elements are interleaved. Arrays are owned by the proof and
 * must not be modified.
 *
 * <p>The proof is self-describing in its sizes (so it can be decoded and printed without the AIR),
 * but the verifier recomputes every size from its own AIR and the options and rejects a proof
 * whose sizes differ; it never trusts a size from the proof.
 */
public record StarkProof(
    ProofOptions options,
    int logTraceLength,
    byte[] airId,
    long[] mainRoot,
    long[] auxRoot,
    long[] compositionRoot,
    long[] oodMainCurrent,
    long[] oodMainNext,
    long[] oodAuxCurrent,
    long[] oodAuxNext,
    long[] oodQuotientChunks,
    List<long[]> friRoots,
    long[] finalPolynomial,
    long powNonce,
    TreeOpening mainOpening,
    TreeOpening auxOpening,
    TreeOpening compositionOpening,
    List<TreeOpening> friOpenings) {

  /** Protocol (and proof format) version; absorbed into the transcript. */
  public static final int VERSION = 2;

  public StarkProof {
    if (airId == null || airId.length != 32) {
      throw new IllegalArgumentException("airId must be 32 bytes");
    }
    friRoots = List.copyOf(friRoots);
    friOpenings = List.copyOf(friOpenings);
    if (friRoots.size() != friOpenings.size()) {
      throw new IllegalArgumentException("one FRI opening per FRI layer");
    }
  }

  /** Whether the AIR had auxiliary columns (then {@code auxRoot} and {@code auxOpening} are set). */
  public boolean hasAux() {
    return auxRoot != null;
  }
}
