package io.veridict.core.transcript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.Blake3;
import io.veridict.core.proof.StarkTranscript;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TranscriptTest {

  private static long challenge(Transcript t) {
    return t.challengeField("c");
  }

  @Test
  void sameOperations_giveSameChallenges() {
    Transcript a = new Transcript("p");
    Transcript b = new Transcript("p");
    a.absorbLongs("x", new long[] {1, 2, 3});
    b.absorbLongs("x", new long[] {1, 2, 3});
    assertEquals(challenge(a), challenge(b));
    assertArrayEquals(a.challengeBytes("y", 40), b.challengeBytes("y", 40));
  }

  @Test
  void absorbsAreLengthBinding_trailingZerosChangeTheChallenge() {
    // REFERENCES pitfall 2 (Plonky3 #1769): [5,7] and [5,7,0,0] must not collide.
    Transcript a = new Transcript("p");
    Transcript b = new Transcript("p");
    a.absorbLongs("x", new long[] {5, 7});
    b.absorbLongs("x", new long[] {5, 7, 0, 0});
    assertNotEquals(challenge(a), challenge(b));
  }

  @Test
  void absorbBoundariesAreBinding() {
    Transcript a = new Transcript("p");
    Transcript b = new Transcript("p");
    a.absorbBytes("x", "ab".getBytes(StandardCharsets.UTF_8));
    a.absorbBytes("x", "c".getBytes(StandardCharsets.UTF_8));
    b.absorbBytes("x", "a".getBytes(StandardCharsets.UTF_8));
    b.absorbBytes("x", "bc".getBytes(StandardCharsets.UTF_8));
    assertNotEquals(challenge(a), challenge(b));
    Transcript c = new Transcript("p");
    c.absorbBytes("x", "abc".getBytes(StandardCharsets.UTF_8));
    Transcript d = new Transcript("p");
    d.absorbBytes("y", "abc".getBytes(StandardCharsets.UTF_8));
    assertNotEquals(challenge(c), challenge(d), "labels are bound");
  }

  @Test
  void protocolLabelAndChallengeLabelAreBound() {
    assertNotEquals(challenge(new Transcript("p")), challenge(new Transcript("q")));
    Transcript a = new Transcript("p");
    Transcript b = new Transcript("p");
    assertNotEquals(a.challengeField("c1"), b.challengeField("c2"));
  }

  @Test
  void everyContextFieldAndPublicInputIsBoundBeforeTheFirstChallenge() {
    // REFERENCES pitfall 1 (Plonky3 #358): public inputs go in before the first challenge.
    byte[] airId = new byte[32];
    io.veridict.core.proof.ProofOptions o = io.veridict.core.proof.ProofOptions.standard();
    long base = challenge(StarkTranscript.begin(o, 10, 2, 0, airId, new long[] {1, 2}));
    assertNotEquals(base, challenge(StarkTranscript.begin(o, 10, 2, 0, airId, new long[] {1, 3})));
    assertNotEquals(base, challenge(StarkTranscript.begin(o, 10, 2, 0, airId, new long[] {1, 2, 0})));
    assertNotEquals(base, challenge(StarkTranscript.begin(o, 11, 2, 0, airId, new long[] {1, 2})));
    assertNotEquals(base, challenge(StarkTranscript.begin(o.withFoldingArity(4), 10, 2, 0, airId, new long[] {1, 2})));
    assertNotEquals(base, challenge(StarkTranscript.begin(o.withoutZeroKnowledgeForBenchmarks(), 10, 2, 0, airId, new long[] {1, 2})));
    // The FRI shape parameter and the query count (which moves h and D) are bound too.
    io.veridict.core.proof.ProofOptions longerFinal = io.veridict.core.proof.ProofOptions.fromHeader(
        o.hash(), o.extension(), o.logBlowup(), o.numQueries(), o.grindingBits(), o.foldingArity(), 6, true);
    assertFalse(longerFinal.isInsecure());
    assertNotEquals(base, challenge(StarkTranscript.begin(longerFinal, 10, 2, 0, airId, new long[] {1, 2})));
    io.veridict.core.proof.ProofOptions moreQueries = io.veridict.core.proof.ProofOptions.fromHeader(
        o.hash(), o.extension(), o.logBlowup(), o.numQueries() + 1, o.grindingBits(), o.foldingArity(), 5, true);
    assertNotEquals(base, challenge(StarkTranscript.begin(moreQueries, 10, 2, 0, airId, new long[] {1, 2})));
    // A trace too short for the options has no layout, so no transcript either.
    assertThrows(IllegalArgumentException.class, () -> StarkTranscript.begin(o, 2, 2, 0, airId, new long[] {1, 2}));
    byte[] other = airId.clone();
    other[31] = 1;
    assertNotEquals(base, challenge(StarkTranscript.begin(o, 10, 2, 0, other, new long[] {1, 2})));
  }

  @Test
  void fieldChallengesAreCanonicalAndSpread() {
    Transcript t = new Transcript("p");
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      long v = t.challengeField("c");
      assertTrue(Goldilocks.isCanonical(v));
      seen.add(v);
    }
    assertEquals(2000, seen.size());
    long[] e = t.challengeExt("e", FieldExtension.CUBIC);
    assertEquals(3, e.length);
  }

  @Test
  void indicesStayInRange() {
    Transcript t = new Transcript("p");
    for (int log = 0; log <= 31; log++) {
      for (int idx : t.challengeIndices("q", 50, log)) {
        assertTrue(idx >= 0 && idx < (1L << log), "log " + log + " idx " + idx);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> t.challengeIndices("q", 1, 32));
  }

  @Test
  void oodPointIsNeverInTheBaseField() {
    // REFERENCES pitfall 6: every trace/LDE point is in the base field, so an OOD point outside
    // it can never coincide with one.
    for (int i = 0; i < 200; i++) {
      Transcript t = new Transcript("p" + i);
      long[] z = StarkTranscript.drawOodPoint(t, FieldExtension.QUADRATIC);
      assertFalse(z[1] == 0, "z in base field");
    }
  }

  @Test
  void proofOfWork_bitCountHasNoShiftOverflow() {
    // REFERENCES pitfall 3: 1 << 64 == 1 in Java. The check must not accept arbitrary nonces for
    // large bit counts, and must accept exactly the nonces whose hash has enough zero bits.
    long[] seed = {1, 2, 3, 4};
    int found = 0;
    for (long nonce = 0; nonce < 5000; nonce++) {
      assertFalse(StarkTranscript.checkPow(Blake3.INSTANCE, seed, nonce, 64));
      assertFalse(StarkTranscript.checkPow(Blake3.INSTANCE, seed, nonce, 65));
      long[] in = {1, 2, 3, 4, nonce};
      long[] out = new long[4];
      Blake3.INSTANCE.hashLongs(in, 0, 5, out, 0);
      boolean expected8 = (out[0] & 0xFF) == 0;
      assertEquals(expected8, StarkTranscript.checkPow(Blake3.INSTANCE, seed, nonce, 8), "nonce " + nonce);
      if (expected8) {
        found++;
      }
      assertTrue(StarkTranscript.checkPow(Blake3.INSTANCE, seed, nonce, 0));
    }
    assertTrue(found > 5 && found < 40, "about 5000/256 nonces should pass 8 bits, got " + found);
  }

  @Test
  void copyForksIndependently() {
    Transcript a = new Transcript("p");
    a.absorbLongs("x", new long[] {9});
    Transcript b = a.copy();
    assertEquals(challenge(a), challenge(b));
    a.absorbLongs("y", new long[] {1});
    b.absorbLongs("y", new long[] {2});
    assertFalse(Arrays.equals(a.challengeBytes("z", 16), b.challengeBytes("z", 16)));
  }
}
