package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.bench.ModelCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify BUNDLE --ledger ...}: a valid proof is accepted only while its model is registered
 * on the ledger and not deprecated; {@code --expect-model} alone needs no ledger.
 */
class VerifyLedgerTest {
  @TempDir Path dir;

  @Test
  void aValidProofPassesOnlyForARegisteredNotDeprecatedModel() throws Exception {
    Path card = dir.resolve("card.json");
    Path csv = dir.resolve("data.csv");
    Files.writeString(card, ModelCommandsTest.SCORECARD);
    Files.writeString(csv, ModelCommandsTest.CSV);
    Path model = dir.resolve("model");
    Run imp = run("model", "import", s(card), "--out", s(model), "--dataset", s(csv), "--label", "label",
        "--positive", "1", "--json");
    assertEquals(0, imp.exit(), imp.toString());
    String commitment = imp.json().get("model_commitment").asText();
    Path f = dir.resolve("a.json");
    Files.writeString(f, "{\"a\": 3, \"b\": 0.9}");
    Path bundle = dir.resolve("a.bundle.json");
    assertEquals(0, run("prove", "--model", s(model), "--features", s(f), "--threshold", "620", "--out", s(bundle)).exit());
    String ledgerDir = s(dir.resolve("ledger"));

    Run before = run("verify", s(bundle), "--ledger", "local", "--ledger-dir", ledgerDir, "--json");
    assertEquals(1, before.exit(), before.toString());
    assertEquals("MODEL_NOT_REGISTERED", before.json().get("reason").asText(), before.toString());
    assertEquals(0, run("verify", s(bundle), "--expect-model", commitment).exit(), "--expect-model needs no ledger");

    assertEquals(0, run("model", "register", s(model), "--ledger-dir", ledgerDir).exit());
    Run after = run("verify", s(bundle), "--ledger", "local", "--ledger-dir", ledgerDir, "--json");
    assertEquals(0, after.exit(), after.toString());
    assertTrue(after.json().get("model_checked").asBoolean());
    assertEquals(1, after.json().get("registered_height").asLong(), after.toString());
    Run text = run("verify", s(bundle), "--ledger", "local", "--ledger-dir", ledgerDir);
    assertTrue(text.out().contains("registered on the local ledger at height 1"), text.out());

    Run dep = run("model", "register", s(model), "--deprecate", "superseded", "--ledger-dir", ledgerDir);
    assertEquals(0, dep.exit(), dep.toString());
    Run deprecated = run("verify", s(bundle), "--ledger", "local", "--ledger-dir", ledgerDir, "--json");
    assertEquals(1, deprecated.exit(), deprecated.toString());
    assertEquals("MODEL_DEPRECATED", deprecated.json().get("reason").asText(), deprecated.toString());

    Run noConfig = run("verify", s(bundle), "--ledger", "evm", "--ledger-config", s(dir.resolve("none.json")));
    assertEquals(2, noConfig.exit(), noConfig.toString());
    assertTrue(noConfig.err().contains("no EVM ledger configuration"), noConfig.err());
  }
}
