package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a real child JVM ({@link OutboxCrashChild}) at each step of the outbox, restarts it, and
 * checks through the {@link LocalLedger} that the anchor exists exactly once and that the
 * restarted process finished the <em>same</em> transaction it had persisted (never a second one).
 */
final class AnchorOutboxCrashIT {
  static final String SEED = "42".repeat(32);

  @TempDir Path dir;

  record Run(int exit, String out) {}

  Run child(Bytes32 root, String crashAt) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    if (crashAt != null) {
      cmd.add("-D" + AnchorOutbox.TEST_ONLY_CRASH_POINT_PROPERTY + "=" + crashAt);
    }
    cmd.add(OutboxCrashChild.class.getName());
    cmd.add(dir.resolve("ledger.jsonl").toString());
    cmd.add(dir.resolve("outbox").toString());
    cmd.add(root.toHex());
    cmd.add(SEED);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child did not finish");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  long anchorsOf(Bytes32 root) throws LedgerException {
    try (LocalLedger l = LocalLedger.open(dir.resolve("ledger.jsonl"), HexFormat.of().parseHex(SEED))) {
      return l.history(Cursor.START, 1000).entries().stream()
          .filter(a -> a.entry() instanceof LedgerEntry.BatchAnchor b && b.root().equals(root))
          .count();
    }
  }

  @ParameterizedTest(name = "killed {0}")
  @ValueSource(strings = {"after-persist", "after-submit", "before-final"})
  void killedAtStep_restart_anchorsExactlyOnce_withTheSameTransaction(String step) throws Exception {
    Bytes32 root = Bytes32.fromHex(HexFormat.of().formatHex(
        ProofRecord.keccak(step.getBytes(StandardCharsets.UTF_8))));
    Run crashed = child(root, step);
    assertEquals(77, crashed.exit(), "the child must die at " + step + ":\n" + crashed.out());
    assertEquals(step.equals("after-persist") ? 0 : 1, anchorsOf(root));

    // the persisted ticket, before the restart
    String persistedTx;
    try (LocalLedger l = LocalLedger.open(dir.resolve("ledger.jsonl"), HexFormat.of().parseHex(SEED))) {
      AnchorOutbox.Ticket t = AnchorOutbox.open(dir.resolve("outbox"), l)
          .ticket("anchor:" + root.toHex()).orElseThrow();
      assertEquals(step.equals("before-final") ? AnchorOutbox.State.SUBMITTED : AnchorOutbox.State.PREPARED,
          t.state());
      persistedTx = t.tx().txHash().toString();
    }

    Run restarted = child(root, null);
    assertEquals(0, restarted.exit(), restarted.out());
    assertTrue(restarted.out().contains("STATE FINAL " + persistedTx + " 1"), restarted.out());
    assertEquals(1, anchorsOf(root));

    Run again = child(root, null);
    assertEquals(0, again.exit(), again.out());
    assertTrue(again.out().contains("STATE FINAL " + persistedTx), again.out());
    assertEquals(1, anchorsOf(root));
    assertTrue(LocalLedger.audit(dir.resolve("ledger.jsonl")) instanceof LedgerAudit.Intact);
  }
}
