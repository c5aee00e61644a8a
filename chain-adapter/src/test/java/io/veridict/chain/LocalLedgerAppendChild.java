package io.veridict.chain;

import java.nio.file.Path;

/**
 * Test-only child process for {@code LocalLedgerMultiProcessIT}: appends {@code count} batch
 * anchors (roots derived from {@code tag}) to a {@link LocalLedger} with a fresh key.
 *
 * <p>Arguments: ledger file, tag (0..255), count.
 */
public final class LocalLedgerAppendChild {
  private LocalLedgerAppendChild() {}

  public static void main(String[] args) throws Exception {
    int tag = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    try (LocalLedger l = LocalLedger.open(Path.of(args[0]), LocalLedger.newSeed())) {
      for (int i = 0; i < count; i++) {
        byte[] root = new byte[32];
        root[0] = (byte) tag;
        root[31] = (byte) i;
        PreparedTx tx = l.prepare(new LedgerEntry.BatchAnchor(Bytes32.of(root), 1, Bytes32.ZERO));
        l.submit(tx);
        l.submit(tx);
      }
    }
  }
}
