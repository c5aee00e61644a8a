package io.veridict.core.air;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The identity of a constraint system: SHA-256 over a canonical encoding of everything that
 * defines it (name, trace shape, periodic column values, every constraint tree and the rows it
 * covers: which list it is in, a boundary constraint's row). Public input values are not included;
 * they are bound separately.
 *
 * <p>Also checks an AIR for well-formedness ({@link #validate}) so prover and verifier reject the
 * same malformed systems.
 */
public final class AirIdentity {
  // v2: every-row constraints (divisor x^n - 1) are a list of their own, between the transition
  // and the boundary constraints.
  private static final byte[] DOMAIN = "veridict/air/v2".getBytes(StandardCharsets.UTF_8);

  private AirIdentity() {}

  /** The 32-byte identity of {@code air}. @throws IllegalArgumentException if malformed */
  public static byte[] of(Air air) {
    validate(air);
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBytes(out, DOMAIN);
    writeBytes(out, air.name().getBytes(StandardCharsets.UTF_8));
    writeLong(out, air.logTraceLength());
    writeLong(out, air.mainWidth());
    writeLong(out, air.auxWidth());
    writeLong(out, air.numAuxChallenges());
    writeLong(out, air.numPublicInputs());
    List<long[]> periodic = air.periodicColumns();
    writeLong(out, periodic.size());
    for (long[] col : periodic) {
      writeLong(out, col.length);
      // Same bytes as writeLong per value (little-endian), in one bulk write: program columns
      // can hold a million values and ByteArrayOutputStream.write(int) is synchronized.
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * col.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      buf.asLongBuffer().put(col);
      md.update(out.toByteArray());
      out.reset();
      md.update(buf.array());
    }
    writeLong(out, air.transitionConstraints().size());
    for (Expr e : air.transitionConstraints()) {
      writeExpr(out, e);
    }
    writeLong(out, air.everyRowConstraints().size());
    for (Expr e : air.everyRowConstraints()) {
      writeExpr(out, e);
    }
    writeLong(out, air.boundaryConstraints().size());
    for (BoundaryConstraint b : air.boundaryConstraints()) {
      writeLong(out, b.resolveRow(air.traceLength()));
      writeExpr(out, b.expr());
    }
    return md.digest(out.toByteArray());
  }

  /**
   * Checks column, periodic, public-input and challenge references, periodic lengths, boundary
   * rows, and that every constraint covers the rows it must: a transition constraint refers to the
   * next row (one that does not reads the current row only and must hold on every row, the last
   * included, so it belongs in {@link Air#everyRowConstraints()}); an every-row constraint does not
   * (the last row's next row would be row 0). @throws IllegalArgumentException naming the first
   * problem
   */
  public static void validate(Air air) {
    int log = air.logTraceLength();
    if (log < 1 || log > 28) {
      throw new IllegalArgumentException("logTraceLength must be in [1, 28], got " + log);
    }
    int n = air.traceLength();
    if (air.mainWidth() < 1 || air.mainWidth() > 1024) {
      throw new IllegalArgumentException("mainWidth must be in [1, 1024], got " + air.mainWidth());
    }
    if (air.auxWidth() < 0 || air.auxWidth() > 256) {
      throw new IllegalArgumentException("auxWidth must be in [0, 256], got " + air.auxWidth());
    }
    if (air.numAuxChallenges() < 0 || air.numAuxChallenges() > 64) {
      throw new IllegalArgumentException("numAuxChallenges must be in [0, 64]");
    }
    if (air.auxWidth() > 0 && air.numAuxChallenges() == 0) {
      throw new IllegalArgumentException("auxiliary columns need at least one challenge");
    }
    int p = 0;
    for (long[] col : air.periodicColumns()) {
      int len = col.length;
      if (len < 1 || (len & (len - 1)) != 0 || len > n) {
        throw new IllegalArgumentException(
            "periodic column " + p + " length must be a power of two <= trace length, got " + len);
      }
      for (long v : col) {
        if (Long.compareUnsigned(v, io.veridict.core.field.Goldilocks.P) >= 0) {
          throw new IllegalArgumentException("periodic column " + p + " has a non-canonical value");
        }
      }
      p++;
    }
    if (air.transitionConstraints().isEmpty()
        && air.everyRowConstraints().isEmpty()
        && air.boundaryConstraints().isEmpty()) {
      throw new IllegalArgumentException("an AIR needs at least one constraint");
    }
    int i = 0;
    for (Expr e : air.transitionConstraints()) {
      String where = "transition constraint " + i++;
      checkRefs(air, e, where);
      if (!Degrees.usesNextRow(e)) {
        // As a transition it would be enforced on rows 0..n-2 only, leaving the last row free
        // (issue 20: the decision AIR's LogUp helpers on the last row absorbed any imbalance).
        throw new IllegalArgumentException(
            where + " reads the current row only: as a transition it would not hold on the last"
                + " row; declare it in everyRowConstraints()");
      }
    }
    i = 0;
    for (Expr e : air.everyRowConstraints()) {
      String where = "every-row constraint " + i++;
      checkRefs(air, e, where);
      if (Degrees.usesNextRow(e)) {
        throw new IllegalArgumentException(
            where + " refers to the next row, which does not exist on the last row; make it a"
                + " transition constraint");
      }
    }
    i = 0;
    for (BoundaryConstraint b : air.boundaryConstraints()) {
      String where = "boundary constraint " + i++;
      checkRefs(air, b.expr(), where);
      if (b.resolveRow(n) >= n) {
        throw new IllegalArgumentException(where + ": row " + b.row() + " outside trace of " + n);
      }
      if (Degrees.usesNextRow(b.expr()) || Degrees.usesPeriodic(b.expr())) {
        throw new IllegalArgumentException(where + ": may not use next-row or periodic values");
      }
    }
  }

  private static void checkRefs(Air air, Expr e, String where) {
    switch (e) {
      case Expr.Main m -> {
        if (m.column() >= air.mainWidth()) {
          throw new IllegalArgumentException(where + ": main column " + m.column() + " out of range");
        }
      }
      case Expr.Aux a -> {
        if (a.column() >= air.auxWidth()) {
          throw new IllegalArgumentException(where + ": aux column " + a.column() + " out of range");
        }
      }
      case Expr.Periodic p -> {
        if (p.index() < 0 || p.index() >= air.periodicColumns().size()) {
          throw new IllegalArgumentException(where + ": periodic column " + p.index() + " out of range");
        }
      }
      case Expr.PublicInput p -> {
        if (p.index() < 0 || p.index() >= air.numPublicInputs()) {
          throw new IllegalArgumentException(where + ": public input " + p.index() + " out of range");
        }
      }
      case Expr.Challenge c -> {
        if (c.index() < 0 || c.index() >= air.numAuxChallenges()) {
          throw new IllegalArgumentException(where + ": challenge " + c.index() + " out of range");
        }
      }
      case Expr.Const c -> {}
      case Expr.Add a -> {
        checkRefs(air, a.left(), where);
        checkRefs(air, a.right(), where);
      }
      case Expr.Sub s -> {
        checkRefs(air, s.left(), where);
        checkRefs(air, s.right(), where);
      }
      case Expr.Mul m -> {
        checkRefs(air, m.left(), where);
        checkRefs(air, m.right(), where);
      }
      case Expr.Neg n -> checkRefs(air, n.operand(), where);
      case Expr.Pow p -> checkRefs(air, p.base(), where);
    }
  }

  private static void writeExpr(ByteArrayOutputStream out, Expr e) {
    switch (e) {
      case Expr.Const c -> {
        out.write(1);
        writeLong(out, c.value());
      }
      case Expr.Main m -> {
        out.write(m.next() ? 3 : 2);
        writeLong(out, m.column());
      }
      case Expr.Aux a -> {
        out.write(a.next() ? 5 : 4);
        writeLong(out, a.column());
      }
      case Expr.Periodic p -> {
        out.write(6);
        writeLong(out, p.index());
      }
      case Expr.PublicInput p -> {
        out.write(7);
        writeLong(out, p.index());
      }
      case Expr.Challenge c -> {
        out.write(8);
        writeLong(out, c.index());
      }
      case Expr.Add a -> {
        out.write(9);
        writeExpr(out, a.left());
        writeExpr(out, a.right());
      }
      case Expr.Sub s -> {
        out.write(10);
        writeExpr(out, s.left());
        writeExpr(out, s.right());
      }
      case Expr.Mul m -> {
        out.write(11);
        writeExpr(out, m.left());
        writeExpr(out, m.right());
      }
      case Expr.Neg n -> {
        out.write(12);
        writeExpr(out, n.operand());
      }
      case Expr.Pow p -> {
        out.write(13);
        writeLong(out, p.exponent());
        writeExpr(out, p.base());
      }
    }
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
    writeLong(out, b.length);
    out.write(b, 0, b.length);
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
  }
}
