package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * picocli's {@code @file} expansion is off in every command line the project builds: an argument
 * {@code @PATH} is taken literally, never replaced by the file's contents (which would read a file
 * named by whoever chose the argument, echo its lines in the parse error, and let its contents
 * inject options).
 */
class AtFileTest {
  @Test
  void anAtFileArgumentIsTakenLiterally_neverExpanded(@TempDir Path dir) throws Exception {
    Path planted = dir.resolve("planted.txt");
    Files.writeString(planted, "planted-secret-line-7f3a\n--ledger=evm\n--json\n");
    ModelCommandsTest.Run r = ModelCommandsTest.run("eligibility", "check", "--subject", "@" + planted,
        "--policy", "p", "--ledger-dir", dir.resolve("ledger").toString());
    assertEquals(Cli.USAGE, r.exit(), r.toString());
    assertFalse(r.out().contains("planted-secret-line-7f3a") || r.err().contains("planted-secret-line-7f3a"), r.toString());
    // The literal argument is what the command saw (an invalid address), not an injected option.
    assertTrue(r.err().contains("@" + planted) || r.err().contains("address"), r.toString());
    assertFalse(r.err().contains("evm"), r.toString());

    // A positional @file: the bundle path is looked up as the literal name "@...", which does not exist.
    ModelCommandsTest.Run v = ModelCommandsTest.run("verify", "@" + planted);
    assertEquals(Cli.USAGE, v.exit(), v.toString());
    assertFalse(v.err().contains("planted-secret-line-7f3a"), v.toString());
  }

  @Test
  void theCommandLineHasExpansionOff() {
    assertFalse(VeridictMain.commandLine().isExpandAtFiles());
  }
}
