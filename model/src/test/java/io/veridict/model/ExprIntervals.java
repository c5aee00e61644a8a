package io.veridict.model;

import io.veridict.core.air.Expr;
import io.veridict.core.field.Goldilocks;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Integer interval arithmetic over {@link Expr} constraint trees (tests only): a constraint becomes
 * an integer polynomial in the <em>signed representatives</em> of its cells (each field element
 * {@code v} read as the integer in {@code [-(p-1)/2, (p-1)/2]} congruent to it), and {@link
 * Poly#analyse} bounds it, and solves it, over intervals of those integers.
 *
 * <p>The point of the integers: a constraint {@code E ≡ 0 (mod p)} whose integer value satisfies
 * {@code |E| <= (p-1)/2} holds over the integers, {@code E = 0}: nothing wrapped modulo p. Three
 * rules derive bounds on cells, each exact:
 *
 * <ul>
 *   <li><b>unit solve</b>: if {@code E = c x + rest} with {@code c = ±1} and {@code |rest| <= (p-1)/2}
 *       then {@code -c rest} is itself a signed representative congruent to {@code x}, so it is
 *       {@code x}: {@code x ∈ -c · rest}, whatever was known about {@code x} before;
 *   <li><b>integer solve</b>: once {@code |E| <= (p-1)/2} is proven, {@code E = 0} over the integers
 *       and a cell {@code x} with any coefficient, {@code c x + rest = 0}, lies in {@code -rest / c}
 *       rounded inward. Not before: over the field {@code c x ≡ -rest} gives {@code x = -rest ·
 *       c^-1 mod p}, not the integer quotient (a {@code y · 2^24} solved that way is exactly the
 *       rescale wrap of REFERENCES pitfall 24);
 *   <li><b>roots</b>: a polynomial of degree 1 or 2 in one cell (e.g. {@code bit (bit - 1)}) pins the
 *       cell to its roots in the field.
 * </ul>
 *
 * <p>Cells known to take at most two values (bits) are split into cases, so that {@code bit (x - t)
 * + (1 - bit)(t - 1 - x)} is analysed as the two linear equations it is.
 */
final class ExprIntervals {
  private ExprIntervals() {}

  static final BigInteger P = new BigInteger(Long.toUnsignedString(Goldilocks.P));
  /** The largest magnitude of a signed representative, {@code (p - 1) / 2}: below it nothing wraps. */
  static final BigInteger HALF = P.subtract(BigInteger.ONE).shiftRight(1);

  /** At most this many two-valued cells are split into cases per constraint. */
  private static final int MAX_SPLITS = 4;
  /** Per-polynomial memo of analyses (rows repeat their inputs: the same weight, the same bits). */
  private static final int MEMO_SIZE = 512;

  /** The signed representative of a canonical field element. */
  static BigInteger signed(long canonical) {
    BigInteger v = new BigInteger(Long.toUnsignedString(canonical));
    return v.compareTo(HALF) > 0 ? v.subtract(P) : v;
  }

  /** {@code log2 |m|} for display ({@code -inf} for 0). */
  static double log2(BigInteger m) {
    m = m.abs();
    if (m.signum() == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    int shift = Math.max(0, m.bitLength() - 60);
    return Math.log(m.shiftRight(shift).doubleValue()) / Math.log(2) + shift;
  }

  // --- variables: one int per cell a constraint reads ---------------------------------------------

  private static final int PERIODIC = 1 << 20;
  private static final int PUBLIC = 2 << 20;

  static int mainVar(int column, boolean next) {
    return 2 * column + (next ? 1 : 0);
  }

  static int periodicVar(int index) {
    return PERIODIC + index;
  }

  static int publicVar(int index) {
    return PUBLIC + index;
  }

  static boolean isMain(int v) {
    return v < PERIODIC;
  }

  static boolean isPeriodic(int v) {
    return v >= PERIODIC && v < PUBLIC;
  }

  static int column(int v) {
    return v >> 1;
  }

  static boolean isNext(int v) {
    return (v & 1) == 1;
  }

  static int index(int v) {
    return isPeriodic(v) ? v - PERIODIC : v - PUBLIC;
  }

  // --- intervals ----------------------------------------------------------------------------------

  /** The integers {@code lo..hi} (a value class with a cached hash: intervals key the memos). */
  static final class Interval {
    /** What an unconstrained cell's signed representative may be. */
    static final Interval ANY = new Interval(HALF.negate(), HALF);

    private final BigInteger lo;
    private final BigInteger hi;
    private final int hash;

    Interval(BigInteger lo, BigInteger hi) {
      if (lo.compareTo(hi) > 0) {
        throw new IllegalArgumentException("empty interval [" + lo + ", " + hi + "]");
      }
      this.lo = lo;
      this.hi = hi;
      this.hash = 31 * lo.hashCode() + hi.hashCode();
    }

    BigInteger lo() {
      return lo;
    }

    BigInteger hi() {
      return hi;
    }

    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Interval i && hash == i.hash && lo.equals(i.lo) && hi.equals(i.hi);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    static Interval of(long lo, long hi) {
      return new Interval(BigInteger.valueOf(lo), BigInteger.valueOf(hi));
    }

    static Interval point(BigInteger v) {
      return new Interval(v, v);
    }

    boolean isPoint() {
      return lo.equals(hi);
    }

    /** {@code hi - lo} (0 for a point, 1 for a bit). */
    BigInteger width() {
      return hi.subtract(lo);
    }

    Interval plus(Interval o) {
      return new Interval(lo.add(o.lo), hi.add(o.hi));
    }

    Interval negate() {
      return new Interval(hi.negate(), lo.negate());
    }

    Interval times(BigInteger c) {
      BigInteger a = lo.multiply(c);
      BigInteger b = hi.multiply(c);
      return c.signum() >= 0 ? new Interval(a, b) : new Interval(b, a);
    }

    Interval times(Interval o) {
      if (o.isPoint()) {
        return times(o.lo);
      }
      if (isPoint()) {
        return o.times(lo);
      }
      BigInteger a = lo.multiply(o.lo);
      BigInteger b = lo.multiply(o.hi);
      BigInteger c = hi.multiply(o.lo);
      BigInteger d = hi.multiply(o.hi);
      return new Interval(a.min(b).min(c).min(d), a.max(b).max(c).max(d));
    }

    Interval pow(int k) {
      if (k == 1) {
        return this;
      }
      if (k % 2 == 1 || lo.signum() >= 0) {
        return new Interval(lo.pow(k), hi.pow(k)); // monotone
      }
      if (hi.signum() <= 0) {
        return new Interval(hi.pow(k), lo.pow(k));
      }
      return new Interval(BigInteger.ZERO, lo.abs().max(hi.abs()).pow(k));
    }

    Interval hull(Interval o) {
      return o == null ? this : new Interval(lo.min(o.lo), hi.max(o.hi));
    }

    /** The intersection, or null if empty. */
    Interval intersect(Interval o) {
      BigInteger l = lo.max(o.lo);
      BigInteger h = hi.min(o.hi);
      return l.compareTo(h) > 0 ? null : new Interval(l, h);
    }

    boolean within(Interval o) {
      return lo.compareTo(o.lo) >= 0 && hi.compareTo(o.hi) <= 0;
    }

    BigInteger magnitude() {
      return lo.abs().max(hi.abs());
    }

    @Override
    public String toString() {
      return "[" + show(lo) + ", " + show(hi) + "]";
    }

    private static String show(BigInteger v) {
      return v.abs().bitLength() < 20 ? v.toString() : String.format("%s2^%.3f", v.signum() < 0 ? "-" : "", log2(v));
    }
  }

  // --- polynomials --------------------------------------------------------------------------------

  /** A monomial: the sorted variables of a product (repeated for powers). */
  private record Mono(int[] vars) {
    static final Mono ONE = new Mono(new int[0]);

    Mono times(Mono o) {
      int[] v = Arrays.copyOf(vars, vars.length + o.vars.length);
      System.arraycopy(o.vars, 0, v, vars.length, o.vars.length);
      Arrays.sort(v);
      return new Mono(v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mono m && Arrays.equals(vars, m.vars);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(vars);
    }
  }

  /**
   * What {@link Poly#analyse} found out about one constraint instance: whether it can hold, the
   * bound proving it an integer equation ({@code magnitude}, see {@link Poly#analyse}), the largest
   * term ({@code |coefficient · cells|} of one monomial: how big the values it relates get), and
   * the bounds and definitions it yields.
   */
  record Outcome(boolean feasible, BigInteger magnitude, BigInteger largestTerm, Map<Integer, Interval> bounds,
      Map<Integer, Poly> definitions) {}

  /** An integer polynomial over cell variables (immutable, except for its memo). */
  static final class Poly {
    private final Mono[] monos;
    private final BigInteger[] coefs;
    private final int[] vars;
    private final Map<List<Interval>, Outcome> memo = new HashMap<>();

    private Poly(Map<Mono, BigInteger> terms) {
      List<Mono> ms = new ArrayList<>(terms.size());
      List<BigInteger> cs = new ArrayList<>(terms.size());
      int[] vs = new int[8];
      int k = 0;
      for (Map.Entry<Mono, BigInteger> e : terms.entrySet()) {
        if (e.getValue().signum() != 0) {
          ms.add(e.getKey());
          cs.add(e.getValue());
          for (int v : e.getKey().vars) {
            if (k == vs.length) {
              vs = Arrays.copyOf(vs, 2 * k);
            }
            vs[k++] = v;
          }
        }
      }
      monos = ms.toArray(new Mono[0]);
      coefs = cs.toArray(new BigInteger[0]);
      Arrays.sort(vs, 0, k);
      int d = 0;
      for (int i = 0; i < k; i++) {
        if (d == 0 || vs[d - 1] != vs[i]) {
          vs[d++] = vs[i];
        }
      }
      vars = Arrays.copyOf(vs, d);
    }

    private static Poly constant(BigInteger c) {
      Map<Mono, BigInteger> t = new LinkedHashMap<>();
      t.put(Mono.ONE, c);
      return new Poly(t);
    }

    private static Poly variable(int v) {
      Map<Mono, BigInteger> t = new LinkedHashMap<>();
      t.put(new Mono(new int[] {v}), BigInteger.ONE);
      return new Poly(t);
    }

    /**
     * The integer polynomial of {@code e}: constants and cells as signed representatives. Throws for
     * auxiliary columns and challenges (extension-field values: no integer range to speak of).
     */
    static Poly of(Expr e) {
      return switch (e) {
        case Expr.Const c -> constant(signed(c.value()));
        case Expr.Main m -> variable(mainVar(m.column(), m.next()));
        case Expr.Periodic q -> variable(periodicVar(q.index()));
        case Expr.PublicInput q -> variable(publicVar(q.index()));
        case Expr.Aux a -> throw new IllegalArgumentException("auxiliary column " + a.column());
        case Expr.Challenge c -> throw new IllegalArgumentException("challenge " + c.index());
        case Expr.Add a -> of(a.left()).plus(of(a.right()), BigInteger.ONE);
        case Expr.Sub s -> of(s.left()).plus(of(s.right()), BigInteger.ONE.negate());
        case Expr.Mul m -> of(m.left()).times(of(m.right()));
        case Expr.Neg n -> of(n.operand()).scale(BigInteger.ONE.negate());
        case Expr.Pow w -> {
          Poly b = of(w.base());
          Poly r = b;
          for (int i = 1; i < w.exponent(); i++) {
            r = r.times(b);
          }
          yield r;
        }
      };
    }

    private Map<Mono, BigInteger> terms() {
      Map<Mono, BigInteger> t = new LinkedHashMap<>();
      for (int i = 0; i < monos.length; i++) {
        t.put(monos[i], coefs[i]);
      }
      return t;
    }

    /** {@code this + k * o}. */
    private Poly plus(Poly o, BigInteger k) {
      Map<Mono, BigInteger> t = terms();
      for (int i = 0; i < o.monos.length; i++) {
        t.merge(o.monos[i], o.coefs[i].multiply(k), BigInteger::add);
      }
      return new Poly(t);
    }

    private Poly scale(BigInteger k) {
      Map<Mono, BigInteger> t = new LinkedHashMap<>();
      for (int i = 0; i < monos.length; i++) {
        t.put(monos[i], coefs[i].multiply(k));
      }
      return new Poly(t);
    }

    private Poly times(Poly o) {
      Map<Mono, BigInteger> t = new LinkedHashMap<>();
      for (int i = 0; i < monos.length; i++) {
        for (int j = 0; j < o.monos.length; j++) {
          t.merge(monos[i].times(o.monos[j]), coefs[i].multiply(o.coefs[j]), BigInteger::add);
        }
      }
      return new Poly(t);
    }

    /** The largest number of variables in a monomial. */
    private int degree() {
      int d = 0;
      for (Mono m : monos) {
        d = Math.max(d, m.vars.length);
      }
      return d;
    }

    /** The distinct variables, sorted. */
    int[] vars() {
      return vars;
    }

    boolean isZero() {
      return monos.length == 0;
    }

    boolean isConstant() {
      return vars.length == 0;
    }

    BigInteger constantValue() {
      return monos.length == 0 ? BigInteger.ZERO : coefs[0];
    }

    /** Replaces the variables {@code value} maps to non-null by those integers; {@code this} if none. */
    Poly substitute(IntFunction<BigInteger> value) {
      BigInteger[] val = new BigInteger[vars.length];
      boolean any = false;
      for (int i = 0; i < vars.length; i++) {
        val[i] = value.apply(vars[i]);
        any |= val[i] != null;
      }
      if (!any) {
        return this;
      }
      Map<Mono, BigInteger> t = new LinkedHashMap<>();
      for (int i = 0; i < monos.length; i++) {
        BigInteger c = coefs[i];
        int[] keep = new int[monos[i].vars.length];
        int k = 0;
        for (int v : monos[i].vars) {
          BigInteger x = val[Arrays.binarySearch(vars, v)];
          if (x == null) {
            keep[k++] = v;
          } else {
            c = c.multiply(x);
          }
        }
        if (c.signum() != 0) {
          t.merge(new Mono(Arrays.copyOf(keep, k)), c, BigInteger::add);
        }
      }
      return new Poly(t);
    }

    /** Interval evaluation (each monomial's powers evaluated as powers, so {@code x^2 >= 0}). */
    Interval eval(IntFunction<Interval> env) {
      BigInteger lo = BigInteger.ZERO;
      BigInteger hi = BigInteger.ZERO;
      for (int i = 0; i < monos.length; i++) {
        Interval m = Interval.point(coefs[i]);
        int[] vs = monos[i].vars;
        for (int a = 0; a < vs.length; ) {
          int b = a;
          while (b < vs.length && vs[b] == vs[a]) {
            b++;
          }
          m = m.times(env.apply(vs[a]).pow(b - a));
          a = b;
        }
        lo = lo.add(m.lo());
        hi = hi.add(m.hi());
      }
      return new Interval(lo, hi);
    }

    /** The largest {@code |coefficient · cells|} of one monomial. */
    BigInteger largestTerm(IntFunction<Interval> env) {
      BigInteger t = BigInteger.ZERO;
      for (int i = 0; i < monos.length; i++) {
        BigInteger m = coefs[i].abs();
        for (int v : monos[i].vars) {
          m = m.multiply(env.apply(v).magnitude());
        }
        t = t.max(m);
      }
      return t;
    }

    /** {@code c} if {@code this = c x + rest} with {@code x} not in {@code rest}; else null. */
    private BigInteger linearCoefficient(int x) {
      BigInteger c = null;
      for (int i = 0; i < monos.length; i++) {
        int[] vs = monos[i].vars;
        if (Arrays.binarySearch(vs, x) >= 0) {
          if (vs.length != 1 || c != null) {
            return null;
          }
          c = coefs[i];
        }
      }
      return c;
    }

    /** {@code this} without the monomial {@code x}. */
    private Poly withoutLinear(int x) {
      Map<Mono, BigInteger> t = terms();
      t.remove(new Mono(new int[] {x}));
      return new Poly(t);
    }

    /** Value of this polynomial at integer values of all its variables. */
    BigInteger valueAt(IntFunction<BigInteger> value) {
      BigInteger s = BigInteger.ZERO;
      for (int i = 0; i < monos.length; i++) {
        BigInteger m = coefs[i];
        for (int v : monos[i].vars) {
          m = m.multiply(value.apply(v));
        }
        s = s.add(m);
      }
      return s;
    }

    /**
     * Bounds and solves {@code this = 0} (mod p) given each cell's interval of signed
     * representatives ({@code in[i]} for {@code vars()[i]}; periodic columns already substituted).
     *
     * <p>The magnitude is the best bound proving that the constraint holds over the integers, per
     * case the smaller of the whole expression's bound and, for each cell {@code x} with coefficient
     * ±1, the other side's bound (if {@code |rest| <= (p-1)/2}, {@code x = -c rest} exactly, see the
     * class doc); the largest over the cases. Where it is at most {@code (p-1)/2} the constraint is
     * an integer equation, so every cell {@code x} it holds linearly, {@code c x + rest = 0}, lies in
     * {@code -rest / c} rounded inward, for any {@code c} (the unit solve is the case {@code c = ±1}).
     * Bounds: those results (and the roots rule) intersected with the inputs, only where narrower.
     * Definitions: {@code x = -c rest} for unit {@code c}, as polynomials (field identities, used to
     * enumerate memory addresses).
     */
    Outcome analyse(Interval[] in) {
      List<Interval> key = List.of(in);
      Outcome memoized = memo.get(key);
      if (memoized != null) {
        return memoized;
      }
      Outcome o = analyseUncached(v -> in[Arrays.binarySearch(vars, v)]);
      if (memo.size() >= MEMO_SIZE) {
        memo.clear(); // rows repeat locally (the same weight, the same bits): a small memo suffices
      }
      memo.put(key, o);
      return o;
    }

    private Outcome analyseUncached(IntFunction<Interval> env) {
      // 1. Cells known exactly become constants.
      Poly q = substitute(v -> env.apply(v).isPoint() ? env.apply(v).lo() : null);
      Map<Integer, Interval> bounds = new HashMap<>();
      Map<Integer, Poly> defs = new HashMap<>();
      if (q.isConstant()) {
        BigInteger c = q.constantValue();
        return new Outcome(c.mod(P).signum() == 0, c.abs(), c.abs(), bounds, defs);
      }
      // 2. One cell of degree 1 or 2: its roots in the field. Degree 1 (an address, a limb that must
      //    be 0): the cell is that one field element, and the integer value there is exact.
      Interval root = q.vars.length == 1 && q.degree() == 1 ? q.roots(q.vars[0]) : null;
      if (root != null) {
        int x = q.vars[0];
        Interval n = root.intersect(env.apply(x));
        if (n == null) {
          return new Outcome(false, BigInteger.ZERO, BigInteger.ZERO, bounds, defs);
        }
        if (!n.equals(env.apply(x))) {
          bounds.put(x, n);
        }
        BigInteger c = q.linearCoefficient(x);
        if (c.abs().equals(BigInteger.ONE)) {
          defs.put(x, q.withoutLinear(x).scale(c.negate()));
        }
        return new Outcome(true, q.valueAt(v -> n.lo()).abs(), q.largestTerm(v -> n), bounds, defs);
      }
      if (q.vars.length == 1) {
        Interval r = q.roots(q.vars[0]);
        if (r != null) {
          Interval n = r.intersect(env.apply(q.vars[0]));
          if (n == null) {
            return new Outcome(false, BigInteger.ZERO, BigInteger.ZERO, bounds, defs);
          }
          bounds.put(q.vars[0], n);
        }
      }
      for (int x : q.vars) {
        BigInteger c = q.linearCoefficient(x);
        if (c != null && c.abs().equals(BigInteger.ONE)) {
          defs.put(x, q.withoutLinear(x).scale(c.negate()));
        }
      }
      // 3. Cases over the two-valued cells; in each, the magnitude and the solves.
      IntFunction<Interval> env2 = v -> bounds.getOrDefault(v, env.apply(v));
      List<Integer> split = new ArrayList<>();
      for (int v : q.vars) {
        if (split.size() < MAX_SPLITS && env2.apply(v).width().equals(BigInteger.ONE)) {
          split.add(v);
        }
      }
      BigInteger worst = null;
      BigInteger terms = BigInteger.ZERO;
      Map<Integer, Interval> solved = new HashMap<>();
      Set<Integer> unsolved = new HashSet<>();
      cases:
      for (int mask = 0; mask < 1 << split.size(); mask++) {
        Map<Integer, BigInteger> at = new HashMap<>();
        for (int s = 0; s < split.size(); s++) {
          at.put(split.get(s), env2.apply(split.get(s)).lo().add(BigInteger.valueOf((mask >> s) & 1)));
        }
        Poly r = q.substitute(at::get);
        BigInteger mag;
        Map<Integer, Interval> sol = new HashMap<>();
        if (r.isConstant()) {
          BigInteger c = r.constantValue();
          if (c.mod(P).signum() != 0) {
            continue; // this case cannot hold
          }
          mag = c.abs();
        } else {
          mag = r.eval(env2).magnitude();
          Map<Integer, BigInteger> coef = new HashMap<>();
          Map<Integer, Interval> rest = new HashMap<>();
          for (int x : r.vars) {
            BigInteger c = r.linearCoefficient(x);
            if (c != null) {
              coef.put(x, c);
              rest.put(x, r.withoutLinear(x).eval(env2));
              if (c.abs().equals(BigInteger.ONE)) {
                mag = mag.min(rest.get(x).magnitude());
              }
            }
          }
          if (mag.compareTo(HALF) <= 0) { // an integer equation: solve each linear cell over Z
            for (Map.Entry<Integer, BigInteger> e : coef.entrySet()) {
              Interval x = divideInward(rest.get(e.getKey()).negate(), e.getValue());
              x = x == null ? null : x.intersect(env2.apply(e.getKey()));
              if (x == null) {
                continue cases; // no integer solution: this case cannot hold
              }
              sol.put(e.getKey(), x);
            }
          }
        }
        for (int x : q.vars) {
          if (at.containsKey(x)) {
            continue;
          }
          if (sol.containsKey(x)) {
            solved.merge(x, sol.get(x), Interval::hull);
          } else {
            unsolved.add(x); // no bound on x from this case
          }
        }
        worst = worst == null ? mag : worst.max(mag);
        terms = terms.max(r.largestTerm(env2));
      }
      if (worst == null) {
        return new Outcome(false, BigInteger.ZERO, BigInteger.ZERO, bounds, defs);
      }
      for (Map.Entry<Integer, Interval> e : solved.entrySet()) {
        if (!unsolved.contains(e.getKey())) {
          bounds.put(e.getKey(), e.getValue());
        }
      }
      bounds.entrySet().removeIf(e -> e.getValue().equals(env.apply(e.getKey())));
      return new Outcome(true, worst, terms, bounds, defs);
    }

    /** The integers {@code x} with {@code c x} in {@code r}, or null if none. */
    private static Interval divideInward(Interval r, BigInteger c) {
      BigInteger lo = c.signum() > 0 ? r.lo() : r.hi();
      BigInteger hi = c.signum() > 0 ? r.hi() : r.lo();
      BigInteger l = ceilDiv(lo, c);
      BigInteger h = floorDiv(hi, c);
      return l.compareTo(h) > 0 ? null : new Interval(l, h);
    }

    private static BigInteger floorDiv(BigInteger a, BigInteger b) {
      BigInteger[] qr = a.divideAndRemainder(b);
      return qr[1].signum() != 0 && qr[1].signum() != b.signum() ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
      return floorDiv(a.negate(), b).negate();
    }

    /** The hull of the field roots of this polynomial in the single variable {@code x}, or null. */
    private Interval roots(int x) {
      BigInteger a = BigInteger.ZERO;
      BigInteger b = BigInteger.ZERO;
      BigInteger c = BigInteger.ZERO;
      for (int i = 0; i < monos.length; i++) {
        switch (monos[i].vars.length) {
          case 0 -> c = coefs[i];
          case 1 -> b = coefs[i];
          case 2 -> a = coefs[i];
          default -> {
            return null;
          }
        }
      }
      if (a.mod(P).signum() == 0) {
        if (b.mod(P).signum() == 0) {
          return null;
        }
        return Interval.point(signedMod(c.negate().multiply(b.modInverse(P))));
      }
      BigInteger disc = b.multiply(b).subtract(a.multiply(c).shiftLeft(2));
      if (disc.signum() < 0) {
        return null;
      }
      BigInteger s = disc.sqrt();
      if (!s.multiply(s).equals(disc)) {
        return null; // maybe roots in the field, maybe not: no bound claimed
      }
      BigInteger inv = a.shiftLeft(1).modInverse(P);
      BigInteger r1 = signedMod(b.negate().add(s).multiply(inv));
      BigInteger r2 = signedMod(b.negate().subtract(s).multiply(inv));
      return new Interval(r1.min(r2), r1.max(r2));
    }

    private static BigInteger signedMod(BigInteger v) {
      BigInteger m = v.mod(P);
      return m.compareTo(HALF) > 0 ? m.subtract(P) : m;
    }
  }
}
