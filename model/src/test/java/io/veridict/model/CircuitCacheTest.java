package io.veridict.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.verifier.AcceptablePolicy;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A verifier with a {@link CircuitCache} never builds a circuit it does not admit: a bundle naming
 * a 2^20-row architecture is refused with {@code CIRCUIT_NOT_ADMITTED} having allocated a few MB
 * (building that circuit allocates 224 MB), pinned circuits are served whatever their size, and a
 * bundle cannot borrow a pinned circuit by claiming its airId with another architecture.
 */
class CircuitCacheTest {
  private static final DecisionVerifier LAX = DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
  private static ModelPackage pkg;
  private static ProofBundle bundle;

  @BeforeAll
  static void prove() {
    FloatModel m = CircuitFixtures.linear(4, 3);
    pkg = ModelPackage.create(Quantizer.quantize(m, null), "cache", "test", "00", OptionalDouble.empty(),
        new java.security.SecureRandom());
    bundle = DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 1)
        .prove(pkg, new double[] {1, 2, 3, 4}, new Policy(0.5, Policy.Direction.AT_LEAST), new Context(1, "s", "p", "n", 0))
        .bundle();
  }

  /** 341 trees of depth 10: the largest tree circuit, 2^20 rows. */
  static ModelArchitecture huge() {
    ModelArchitecture a = pkg.model().architecture();
    return new ModelArchitecture(ModelArchitecture.Family.TREE_ENSEMBLE, a.featureNames(), a.inputExponents(),
        a.marginExponent(), a.link(), new int[0], 341, 10);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void traceRowsIsTheCircuitsLength_computedWithoutBuildingIt() {
    ModelArchitecture a = pkg.model().architecture();
    assertEquals(DecisionCircuit.of(a).traceLength(), DecisionCircuit.traceRows(a));
    long before = allocatedBytes();
    assertEquals(1 << 20, DecisionCircuit.traceRows(huge()));
    long used = allocatedBytes() - before;
    assertTrue(used < (64L << 20), "traceRows allocated " + used + " bytes");
  }

  @Test
  void anOversizedArchitectureIsRefusedBeforeAnythingTraceSizedIsAllocated() throws Exception {
    CircuitCache cache = new CircuitCache(1 << 14, 8);
    DecisionVerifier v = LAX.withCircuits(cache);
    ModelDescription d = bundle.model();
    ModelDescription forged = new ModelDescription(d.name(), d.sourceFormat(), d.sourceSha256(), huge(), d.airId(), d.parameterCommitment(),
        d.modelCommitment(), d.suggestedThreshold());
    ProofBundle hostile = new ProofBundle(bundle.statement(), forged, bundle.proof());
    long before = allocatedBytes();
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class,
        () -> v.verify(hostile, Optional.empty(), NOW));
    long used = allocatedBytes() - before;
    assertEquals(DecisionVerificationException.Reason.CIRCUIT_NOT_ADMITTED, e.reason());
    assertTrue(used < (64L << 20), "refusing allocated " + used + " bytes");
    // Without the cache the same bundle builds the whole circuit first (the behaviour the cache bounds).
    assertTrue(e.getMessage().contains("1048576 rows"), e.getMessage());
  }

  @Test
  void pinnedAndRecentCircuitsAreShared_andHonestBundlesStillVerify() throws Exception {
    CircuitCache cache = new CircuitCache(1 << 14, 2);
    ModelArchitecture a = pkg.model().architecture();
    DecisionCircuit first = cache.circuit(a).orElseThrow();
    assertSame(first, cache.circuit(a).orElseThrow());
    DecisionStatement s = LAX.withCircuits(cache).verify(bundle, Optional.empty(), NOW);
    assertEquals(pkg.description().modelCommitment(), s.modelCommitment());

    CircuitCache tiny = new CircuitCache(1, 0); // admits nothing unpinned
    assertTrue(tiny.circuit(a).isEmpty());
    tiny.pin(a);
    DecisionCircuit pinned = tiny.circuit(a).orElseThrow();
    assertSame(pinned, tiny.circuit(a).orElseThrow());
    LAX.withCircuits(tiny).verify(bundle, Optional.empty(), NOW);
  }

  @Test
  void aBundleCannotBorrowAPinnedCircuitByClaimingItsAirId() {
    CircuitCache cache = new CircuitCache(1 << 14, 8);
    cache.pin(pkg.model().architecture());
    // Same claimed airId, another (small, admissible) architecture: five features instead of four.
    ModelArchitecture other = Quantizer.quantize(CircuitFixtures.linear(5, 3), null).architecture();
    ModelDescription d = bundle.model();
    ProofBundle hostile = new ProofBundle(bundle.statement(), new ModelDescription(d.name(), d.sourceFormat(),
        d.sourceSha256(), other, d.airId(), d.parameterCommitment(), d.modelCommitment(), d.suggestedThreshold()), bundle.proof());
    DecisionVerificationException x = assertThrows(DecisionVerificationException.class,
        () -> LAX.withCircuits(cache).verify(hostile, Optional.empty(), NOW));
    assertEquals(DecisionVerificationException.Reason.AIR_ID_MISMATCH, x.reason());
  }
}
