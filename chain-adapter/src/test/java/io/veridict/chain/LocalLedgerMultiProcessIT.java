package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several real processes ({@link LocalLedgerAppendChild}) append to one {@link LocalLedger} file
 * at the same time: the OS file lock serialises them, nothing is lost or duplicated, and the chain
 * audits intact.
 */
final class LocalLedgerMultiProcessIT {
  @TempDir Path dir;

  @Test
  void concurrentProcesses_appendToOneFile_chainIntact() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    LocalLedger.open(file, LocalLedger.newSeed()).close(); // genesis first
    int processes = 3;
    int each = 15;
    List<Process> ps = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      ps.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), LocalLedgerAppendChild.class.getName(),
          file.toString(), Integer.toString(p + 1), Integer.toString(each))
          .redirectErrorStream(true).start());
    }
    for (Process p : ps) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
    }
    LedgerAudit.Intact ok = assertInstanceOf(LedgerAudit.Intact.class, LocalLedger.audit(file));
    assertEquals(processes * each, ok.intactEntries());
    try (LocalLedger l = LocalLedger.open(file, LocalLedger.newSeed())) {
      Set<Bytes32> roots = new HashSet<>();
      for (Anchored a : l.history(Cursor.START, 1000).entries()) {
        roots.add(((LedgerEntry.BatchAnchor) a.entry()).root());
      }
      assertEquals(processes * each, roots.size());
      assertTrue(l.recoveries().isEmpty());
    }
  }
}
