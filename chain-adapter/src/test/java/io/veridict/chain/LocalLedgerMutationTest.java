package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flips one bit in every byte of a small ledger file, one byte at a time, and requires the audit
 * to reject each mutant (seeded choice of the bit; the seed is in the test name).
 */
final class LocalLedgerMutationTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1})
  void everySingleByteMutation_isDetectedByTheAudit(long seed) throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    try (LocalLedger l = LocalLedger.open(file, LocalLedger.newSeed())) {
      l.submit(l.prepare(LocalLedgerTest.anchor(1)));
      l.submit(l.prepare(TestGrants.grant(LocalLedgerTest.ALICE, LocalLedgerTest.b(2), 3, 1_900_000_000L)));
    }
    byte[] original = Files.readAllBytes(file);
    assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file));
    Random rnd = new Random(seed);
    Path mutant = dir.resolve("mutant.jsonl");
    for (int i = 0; i < original.length; i++) {
      byte[] m = original.clone();
      m[i] ^= (byte) (1 << rnd.nextInt(8));
      Files.write(mutant, m);
      LedgerAudit a = LocalLedger.audit(mutant);
      if (!(a instanceof LedgerAudit.Tampered)) {
        fail("seed " + seed + ": flipping a bit of byte " + i + " ('" + (char) original[i]
            + "') went undetected: " + a);
      }
    }
    assertEquals(original.length, Files.size(file));
  }
}
