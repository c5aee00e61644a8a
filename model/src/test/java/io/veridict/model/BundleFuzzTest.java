package io.veridict.model;

import static org.junit.jupiter.api.Assertions.*;

import io.veridict.verifier.AcceptablePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile bundle bytes give a typed rejection, never an unchecked exception. */
class BundleFuzzTest {
  private static byte[] bundle;
  private static ModelPackage pkg;
  private static final DecisionVerifier V = DecisionVerifier.withPolicy(AcceptablePolicy.insecureAcceptAnythingForTests());
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  @BeforeAll
  static void prove() {
    FloatModel m = CircuitFixtures.linear(4, 3);
    pkg = ModelPackage.create(Quantizer.quantize(m, null), "fuzz", "test", "00", OptionalDouble.empty(), new java.security.SecureRandom());
    bundle = DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 1)
        .prove(pkg, new double[] {1, 2, 3, 4}, new Policy(0.5, Policy.Direction.AT_LEAST), new Context(1, "s", "p", "n", 0))
        .bundle().toJsonBytes();
  }

  private static void rejectsCleanly(byte[] b) {
    try {
      V.verify(b, Optional.empty(), NOW);
    } catch (DecisionVerificationException e) {
      assertNotNull(e.reason());
      return;
    } catch (RuntimeException | Error e) {
      fail("unchecked " + e + " on hostile input", e);
    }
    // Accepting is fine only if the bytes still carry the same valid statement (e.g. whitespace).
  }

  @Test
  void theHonestBundleVerifies_andRoundTrips() throws Exception {
    DecisionStatement s = V.verify(bundle, Optional.empty(), NOW);
    assertArrayEquals(bundle, ProofBundle.fromJsonBytes(bundle).toJsonBytes());
    assertEquals(pkg.description().modelCommitment(), s.modelCommitment());
  }

  @Test
  void everyTruncationIsRejected() {
    for (int len = 0; len < bundle.length; len += Math.max(1, bundle.length / 300)) {
      byte[] t = java.util.Arrays.copyOf(bundle, len);
      assertThrows(DecisionVerificationException.class, () -> V.verify(t, Optional.empty(), NOW));
    }
  }

  @Test
  void randomByteFlipsNeverCrash() {
    SplittableRandom r = new SplittableRandom(5);
    for (int k = 0; k < 400; k++) {
      byte[] t = bundle.clone();
      int flips = 1 + r.nextInt(4);
      for (int f = 0; f < flips; f++) {
        t[r.nextInt(t.length)] ^= (byte) (1 << r.nextInt(8));
      }
      rejectsCleanly(t);
    }
  }

  @Test
  void hostileJsonShapesAreRejected() {
    String[] cases = {
      "", "null", "[]", "{}", "{\"format\":\"veridict-bundle\"}",
      "{\"format\":\"veridict-bundle\",\"version\":2}",
      "{\"format\":\"veridict-bundle\",\"version\":1,\"format\":\"x\"}",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
      new String(bundle, StandardCharsets.UTF_8) + "{}",
      new String(bundle, StandardCharsets.UTF_8).replace("\"proof\" : \"", "\"proof\" : \"!!"),
      new String(bundle, StandardCharsets.UTF_8).replace("\"tree_depth\" : 0", "\"tree_depth\" : 1e400"),
      new String(bundle, StandardCharsets.UTF_8).replace("\"layer_sizes\" : [ 4, 1 ]", "\"layer_sizes\" : [ 4, 100000, 100000, 1 ]"),
    };
    for (String c : cases) {
      byte[] b = c.getBytes(StandardCharsets.UTF_8);
      DecisionVerificationException e = assertThrows(DecisionVerificationException.class, () -> V.verify(b, Optional.empty(), NOW), c);
      assertEquals(DecisionVerificationException.Reason.MALFORMED_BUNDLE, e.reason(), c.length() > 80 ? c.substring(0, 80) : c);
    }
    byte[] huge = new byte[ProofBundle.MAX_BYTES + 1];
    assertThrows(DecisionVerificationException.class, () -> V.verify(huge, Optional.empty(), NOW));
  }

  @Test
  void expiredDecisionsAreRejected() throws Exception {
    ProofBundle b = DecisionProver.insecureDeterministicForTests(CircuitFixtures.fast(), 2)
        .prove(pkg, new double[] {1, 2, 3, 4}, new Policy(0.5, Policy.Direction.AT_LEAST), new Context(1, "s", "p", "n", 1_700_000_000L))
        .bundle();
    DecisionVerificationException e = assertThrows(DecisionVerificationException.class, () -> V.verify(b, Optional.empty(), NOW));
    assertEquals(DecisionVerificationException.Reason.EXPIRED, e.reason());
    V.verify(b, Optional.empty(), Instant.ofEpochSecond(1_600_000_000L));
  }

  @Test
  void privatePackagesRoundTrip_andATamperedPackageIsRefused() {
    byte[] json = pkg.toJsonBytes();
    ModelPackage back = ModelPackage.fromJsonBytes(json);
    assertArrayEquals(pkg.model().parameters(), back.model().parameters());
    String s = new String(json, StandardCharsets.UTF_8);
    // Change one parameter: it no longer opens the commitment.
    long p0 = pkg.model().parameters()[0];
    String tampered = s.replaceFirst("\"parameters\" : \\[ " + p0, "\"parameters\" : [ " + (p0 + 1));
    assertNotEquals(s, tampered);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelPackage.fromJsonBytes(tampered.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("do not open"), e.getMessage());
  }
}
