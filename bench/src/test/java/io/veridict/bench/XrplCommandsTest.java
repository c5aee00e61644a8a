package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import io.veridict.chain.xrpl.RippledSimulator;
import io.veridict.chain.xrpl.XrplConfig;
import io.veridict.chain.xrpl.XrplLedgerAnchor;
import io.veridict.chain.xrpl.XrplSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ledger xrpl} end to end through the CLI, against chain-adapter's rippled simulator
 * (rippled's JSON-RPC wire protocol, not a real node: there is no XRPL node package here). The key
 * comes from a file; the commands register a model, anchor a bundle as an {@code AccountSet} memo,
 * and audit the account's history.
 */
class XrplCommandsTest {
  @TempDir Path dir;

  @Test
  void registerAnchorAndAuditOverXrpl() throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    key[0] = 0x01; // well inside the secp256k1 group order
    Path keyFile = dir.resolve("xrpl.key");
    Files.writeString(keyFile, HexFormat.of().formatHex(key));
    try (RippledSimulator sim = new RippledSimulator(0)) {
      try (XrplLedgerAnchor probe = XrplLedgerAnchor.connect(XrplConfig.of(sim.url()), XrplSigningKey.secp256k1(key))) {
        sim.fund(probe.account(), 100_000_000);
      }
      Path card = dir.resolve("card.json");
      Path csv = dir.resolve("data.csv");
      Files.writeString(card, ModelCommandsTest.SCORECARD);
      Files.writeString(csv, ModelCommandsTest.CSV);
      Path model = dir.resolve("model");
      Path bundles = dir.resolve("bundles");
      Files.createDirectories(bundles);
      assertEquals(0, run("model", "import", s(card), "--out", s(model), "--dataset", s(csv), "--label", "label",
          "--positive", "1").exit());
      Path f = dir.resolve("a.json");
      Files.writeString(f, "{\"a\": 3, \"b\": 0.9}");
      assertEquals(0, run("prove", "--model", s(model), "--features", s(f), "--threshold", "620", "--subject",
          LedgerCommandsTest.ALICE, "--policy", "p1", "--out", s(bundles.resolve("a.bundle.json"))).exit());

      List<String> common = List.of("--ledger", "xrpl", "--rpc", sim.url().toString(), "--key-file", s(keyFile), "--json");
      Run reg = run(args(common, "model", "register", s(model)));
      assertEquals(0, reg.exit(), reg.toString());
      assertEquals("xrpl", reg.json().get("ledger").asText());
      assertEquals("FINAL", reg.json().get("status").asText());
      Run anchor = run(args(common, "anchor", s(bundles)));
      assertEquals(0, anchor.exit(), anchor.toString());
      Run audit = run(args(common, "audit", "--bundles", s(bundles)));
      assertEquals(0, audit.exit(), audit.toString());
      JsonNode au = audit.json();
      assertTrue(au.get("all_verified").asBoolean(), audit.toString());
      assertEquals(1, au.get("records_verified").asInt());

      // Keys never come from the command line, and a missing key is a usage error naming the way.
      Run noKey = run("ledger", "info", "--ledger", "xrpl", "--rpc", sim.url().toString());
      assertEquals(2, noKey.exit(), noKey.toString());
      assertTrue(noKey.err().contains("--key-file"), noKey.err());
    }
  }

  private static String[] args(List<String> common, String... cmd) {
    List<String> a = new ArrayList<>(List.of(cmd));
    a.addAll(common);
    return a.toArray(String[]::new);
  }
}
