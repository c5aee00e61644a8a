package io.veridict.model;

import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Rpo256;

/**
 * A quantized model: its public {@link ModelArchitecture} and its secret integer parameters in the
 * canonical order the commitment and the circuit use.
 *
 * <p>Canonical parameter order (the "model tape"): dense families, layer by layer, neuron by
 * neuron: {@code w_{j,0}, ..., w_{j,in-1}, b_j}. Tree families, tree by tree: the {@code 2^D - 1}
 * internal nodes of the complete (padded) tree in heap order as {@code (feature, threshold)} pairs,
 * then its {@code 2^D} leaf values; after all trees, the base margin. Every value is a signed
 * integer encoded as a field element ({@code v mod p}).
 *
 * <p>{@code modelCommitment = RPO-256.hashElements(parameters || salt)} with a 4-element random
 * salt, Miden's sponge ({@link Rpo256#hashElements}); the circuit recomputes it.
 */
public final class QuantizedModel {
  /** Number of salt elements appended before hashing (4 x 64 bits). */
  public static final int SALT_ELEMENTS = 4;

  private final ModelArchitecture architecture;
  private final long[] parameters;
  private final java.util.OptionalLong scoreErrorBound;

  /**
   * @param parameters signed integers in canonical order; length {@code
   *     architecture.numParameters()}
   */
  public QuantizedModel(ModelArchitecture architecture, long[] parameters) {
    this(architecture, parameters, java.util.OptionalLong.empty());
  }

  /** As quantized from a float model, with its worst-case score error ({@link QuantizationError}). */
  QuantizedModel(ModelArchitecture architecture, long[] parameters, long scoreErrorBound) {
    this(architecture, parameters, java.util.OptionalLong.of(scoreErrorBound));
  }

  private QuantizedModel(ModelArchitecture architecture, long[] parameters, java.util.OptionalLong scoreErrorBound) {
    if (parameters.length != architecture.numParameters()) {
      throw new IllegalArgumentException(
          "the architecture has " + architecture.numParameters() + " parameters, got " + parameters.length);
    }
    this.architecture = architecture;
    this.parameters = parameters.clone();
    this.scoreErrorBound = scoreErrorBound;
    FixedPointEvaluator.checkParameterBounds(architecture, this.parameters);
  }

  /**
   * The worst-case score error in fixed-point margin units, over every input the encoding admits,
   * when this model was quantized from a float model here ({@link Quantizer}); empty for a model
   * built from integers (its description then states none).
   */
  public java.util.OptionalLong scoreErrorBound() {
    return scoreErrorBound;
  }

  public ModelArchitecture architecture() {
    return architecture;
  }

  /** The signed parameters (a copy): secret. */
  public long[] parameters() {
    return parameters.clone();
  }

  long parameter(int i) {
    return parameters[i];
  }

  /** The model tape: parameters as field elements followed by {@code salt}. */
  public long[] tape(long[] salt) {
    checkSalt(salt);
    long[] t = new long[parameters.length + SALT_ELEMENTS];
    for (int i = 0; i < parameters.length; i++) {
      t[i] = Goldilocks.fromSigned(parameters[i]);
    }
    System.arraycopy(salt, 0, t, parameters.length, SALT_ELEMENTS);
    return t;
  }

  /** {@code RPO-256(parameters || salt)}. */
  public long[] commitment(long[] salt) {
    return Rpo256.hashElements(tape(salt));
  }

  /** The input tape: quantized features as field elements followed by {@code salt}. */
  public static long[] inputTape(long[] quantizedFeatures, long[] salt) {
    checkSalt(salt);
    long[] t = new long[quantizedFeatures.length + SALT_ELEMENTS];
    for (int i = 0; i < quantizedFeatures.length; i++) {
      t[i] = Goldilocks.fromSigned(quantizedFeatures[i]);
    }
    System.arraycopy(salt, 0, t, quantizedFeatures.length, SALT_ELEMENTS);
    return t;
  }

  /** {@code RPO-256(features || salt)}. */
  public static long[] inputCommitment(long[] quantizedFeatures, long[] salt) {
    return Rpo256.hashElements(inputTape(quantizedFeatures, salt));
  }

  /** A fresh salt from {@link java.security.SecureRandom}: 4 canonical field elements. */
  public static long[] newSalt(java.security.SecureRandom random) {
    long[] s = new long[SALT_ELEMENTS];
    for (int i = 0; i < SALT_ELEMENTS; i++) {
      long v;
      do {
        v = random.nextLong();
      } while (!Goldilocks.isCanonical(v)); // rejection sampling: uniform below p
      s[i] = v;
    }
    return s;
  }

  private static void checkSalt(long[] salt) {
    if (salt.length != SALT_ELEMENTS) {
      throw new IllegalArgumentException("salt must have " + SALT_ELEMENTS + " elements, got " + salt.length);
    }
    for (long s : salt) {
      if (!Goldilocks.isCanonical(s)) {
        throw new IllegalArgumentException("salt element is not canonical");
      }
    }
  }
}
