package io.veridict.chain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Test-only child process for {@code AnchorOutboxCrashIT}: opens a {@link LocalLedger} and an
 * {@link AnchorOutbox} and anchors one batch root. Run with the system property {@link
 * AnchorOutbox#TEST_ONLY_CRASH_POINT_PROPERTY} to be killed (halt, exit 77) at that step.
 *
 * <p>Arguments: ledger file, outbox directory, root (64 hex digits), seed (64 hex digits).
 * Prints {@code STATE <state> <txHash> <height>} and exits 0.
 */
public final class OutboxCrashChild {
  private OutboxCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path ledgerFile = Path.of(args[0]);
    Path outboxDir = Path.of(args[1]);
    Bytes32 root = Bytes32.fromHex(args[2]);
    byte[] seed = HexFormat.of().parseHex(args[3]);
    try (LocalLedger ledger = LocalLedger.open(ledgerFile, seed)) {
      AnchorOutbox outbox = AnchorOutbox.open(outboxDir, ledger);
      outbox.resumeAll(Duration.ofSeconds(5));
      AnchorOutbox.Ticket t =
          outbox.anchor(new LedgerEntry.BatchAnchor(root, 4, Bytes32.ZERO), Duration.ofSeconds(5));
      System.out.println("STATE " + t.state() + " " + t.tx().txHash() + " " + t.height());
    }
  }
}
