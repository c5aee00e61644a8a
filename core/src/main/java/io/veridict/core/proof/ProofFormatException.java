package io.veridict.core.proof;

/** Thrown by {@link ProofCodec} when bytes are not a canonical, well-formed proof. */
public final class ProofFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProofFormatException(String message) {
    super(message);
  }
}
