package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.HttpApiTest.Res;
import io.veridict.bench.ModelCommandsTest.Run;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code veridict serve} as it is deployed: the packaged jar in its own JVM ({@code java -jar}),
 * stopped with SIGTERM. Once on the embedded ledger, and once on a real EVM node (the pinned anvil,
 * started on a free loopback port, contracts deployed) — the same stack docker-compose runs
 * (anvil, the deployed contracts, {@code serve --ledger evm}), here without Docker.
 */
class ServeIT {
  static final Path JAR = Path.of("target/veridict-bench.jar");

  @TempDir Path dir;

  record Server(Process process, String base, Path stderr) {}

  Server serve(String... extra) throws Exception {
    assertTrue(Files.isRegularFile(JAR), "package the module first: " + JAR.toAbsolutePath());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "serve", "--port", "0", "--json", "--data-dir", s(dir.resolve("data"))));
    cmd.addAll(List.of(extra));
    Path err = dir.resolve("serve.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    pb.environment().put(ServeCommand.KEY_ENV, HttpApiTest.KEY);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertTrue(line != null, "serve printed nothing; its log:\n" + Files.readString(err));
    JsonNode started = HttpApiTest.JSON.readTree(line);
    return new Server(p, started.get("url").asText(), err);
  }

  /** SIGTERM: the JVM's shutdown hook drains and stops; the process exits 143 (128 + 15) after a clean stop. */
  static void stopGracefully(Server s) throws Exception {
    s.process().destroy();
    assertTrue(s.process().waitFor(60, TimeUnit.SECONDS), "serve did not stop within 60 s of SIGTERM");
    String log = Files.readString(s.stderr());
    assertEquals(143, s.process().exitValue(), log);
    assertTrue(log.contains("\"event\":\"draining\""), log);
    assertTrue(log.contains("\"event\":\"stopped\",\"clean\":true"), log);
  }

  static JsonNode flow(String base, String policy) throws Exception {
    assertEquals(200, HttpApiTest.get(base, "/ready").status());
    com.fasterxml.jackson.databind.node.ObjectNode imp = HttpApiTest.JSON.createObjectNode();
    imp.set("model", HttpApiTest.JSON.readTree(ModelCommandsTest.SCORECARD));
    imp.put("dataset_csv", ModelCommandsTest.CSV);
    imp.put("label", "label");
    imp.put("positive", "1");
    imp.put("policy", policy);
    Res m = HttpApiTest.post(base, "/v1/models", imp.toString(), true);
    assertEquals(201, m.status(), m.toString());
    assertEquals("FINAL", m.json().get("registration").get("status").asText(), m.toString());
    String modelId = m.json().get("model_id").asText();
    Res p = HttpApiTest.post(base, "/v1/decisions", "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9},"
        + "\"threshold\":620,\"subject\":\"" + HttpApiTest.SUBJECT + "\",\"policy\":\"" + policy + "\"}", true);
    assertEquals(201, p.status(), p.toString());
    Res a = HttpApiTest.post(base, "/v1/anchors", "", true);
    assertEquals(200, a.status(), a.toString());
    assertEquals("FINAL", a.json().get("batches").get(0).get("status").asText(), a.toString());
    Res g = HttpApiTest.post(base, "/v1/eligibility/grants",
        "{\"decision_id\":\"" + p.json().get("decision_id").asText() + "\"}", true);
    assertEquals(201, g.status(), g.toString());
    Res e = HttpApiTest.get(base, "/v1/eligibility?subject=" + HttpApiTest.SUBJECT + "&policy=" + policy);
    assertTrue(e.json().get("eligible").asBoolean(), e.toString());
    Res audit = HttpApiTest.get(base, "/v1/audit");
    assertEquals(200, audit.status(), audit.toString());
    assertTrue(audit.json().get("all_verified").asBoolean(), audit.toString());
    assertEquals(1, audit.json().get("records_verified").asInt(), audit.toString());
    return p.json();
  }

  @Test
  void theJarServesTheFlowOnTheEmbeddedLedger_andStopsGracefullyOnSigterm() throws Exception {
    Server s = serve("--ledger-dir", s(dir.resolve("ledger")));
    try {
      JsonNode decision = flow(s.base(), "credit-policy-v1");
      assertEquals(0, decision.get("bundle").get("statement").get("context").get("chain_id").asInt());
    } finally {
      if (s.process().isAlive()) {
        stopGracefully(s);
      }
    }
  }

  @Test
  void theSameStackAsDockerCompose_anvilDeployedContractsAndServe_onARealEvmNode() throws Exception {
    Path config = dir.resolve("dev-ledger.json");
    Run start = run("ledger", "start-dev", "--detach", "--out", s(config), "--pool-policy", "credit-policy-v1", "--json");
    assertEquals(0, start.exit(), start.toString());
    try {
      Server s = serve("--ledger", "evm", "--ledger-config", s(config));
      try {
        JsonNode decision = flow(s.base(), "credit-policy-v1");
        assertEquals(31337, decision.get("bundle").get("statement").get("context").get("chain_id").asInt(),
            "decisions bind the EVM ledger's chain id by default");
      } finally {
        stopGracefully(s);
      }
    } finally {
      Run stop = run("ledger", "stop-dev", "--ledger-config", s(config));
      assertEquals(0, stop.exit(), stop.toString());
    }
  }

  @Test
  void withoutAnApiKeyServeRefusesToStart() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "serve", "--port", "0", "--data-dir", s(dir.resolve("d")))
        .redirectErrorStream(true);
    pb.environment().remove(ServeCommand.KEY_ENV);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("no API key"), out);
  }
}
