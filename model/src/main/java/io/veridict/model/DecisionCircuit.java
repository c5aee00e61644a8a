package io.veridict.model;

import io.veridict.core.air.Air;
import io.veridict.core.air.AirIdentity;
import io.veridict.core.field.Goldilocks;
import io.veridict.model.internal.DecisionAir;
import io.veridict.model.internal.DecisionProgram;
import io.veridict.model.internal.DecisionTrace;
import java.util.HexFormat;

/**
 * The decision circuit of a model architecture: built from the public {@link ModelArchitecture}
 * alone (never from a proof), by the prover and the verifier alike.
 */
public final class DecisionCircuit {
  private final ModelArchitecture architecture;
  private final DecisionAir air;
  private final String airId;

  private DecisionCircuit(ModelArchitecture architecture) {
    this.architecture = architecture;
    this.air = new DecisionAir(new DecisionProgram(architecture));
    this.airId = HexFormat.of().formatHex(AirIdentity.of(air));
  }

  public static DecisionCircuit of(ModelArchitecture architecture) {
    return new DecisionCircuit(architecture);
  }

  /**
   * The trace length (rows) of {@code a}'s circuit, computed from its shape without building the
   * constraint system (cheap: linear in the number of computation rows, no trace-sized columns).
   *
   * @throws IllegalArgumentException if {@code a} needs more than 2^20 rows
   */
  public static int traceRows(ModelArchitecture a) {
    return new DecisionProgram(a).rowsCount();
  }

  public ModelArchitecture architecture() {
    return architecture;
  }

  public Air air() {
    return air;
  }

  /** Hex SHA-256 identity of the constraint system ({@link AirIdentity}). */
  public String airId() {
    return airId;
  }

  /** Trace rows. */
  public int traceLength() {
    return air.traceLength();
  }

  /**
   * The circuit's public inputs for {@code s} about the model described by {@code model}: the
   * circuit recomputes the <em>parameter</em> commitment; the statement's model commitment covers it
   * together with the description (checked by the verifier, {@link ModelDescription#commitmentMatches()}).
   */
  public long[] publicInputs(DecisionStatement s, ModelDescription model) {
    long[] pub = new long[DecisionAir.NUM_PUBLIC_INPUTS];
    System.arraycopy(Commitments.fromHex(model.parameterCommitment()), 0, pub, DecisionAir.PI_MODEL, 4);
    System.arraycopy(Commitments.fromHex(s.inputCommitment()), 0, pub, DecisionAir.PI_INPUT, 4);
    pub[DecisionAir.PI_THRESHOLD] = Goldilocks.fromSigned(s.comparisonThreshold());
    pub[DecisionAir.PI_DECISION] = s.circuitBit() ? 1 : 0;
    System.arraycopy(s.contextDigest(), 0, pub, DecisionAir.PI_CONTEXT, 4);
    return pub;
  }

  /**
   * The witness columns for one decision (prover side). The result's {@link Columns#marginQ()} is
   * secret.
   */
  public Columns witness(QuantizedModel model, long[] modelSalt, long[] x, long[] inputSalt, long circuitThreshold) {
    DecisionTrace t = new DecisionTrace(air.program(), model, x, modelSalt, inputSalt, circuitThreshold);
    return new Columns(t.mainTrace(), t.marginQ());
  }

  /** The auxiliary (LogUp) columns, once the main trace is committed and challenges drawn. */
  public long[][] auxColumns(long[][] main, long[] challenges, int extDegree) {
    return DecisionTrace.auxTrace(air, main, challenges, extDegree);
  }

  /** Main trace columns and the (secret) fixed-point margin they compute. */
  public record Columns(long[][] main, long marginQ) {}
}
