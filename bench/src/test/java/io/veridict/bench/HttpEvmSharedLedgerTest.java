package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veridict.bench.ModelCommandsTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a real EVM node (the pinned anvil, contracts deployed): unauthenticated reads
 * hammering readiness and eligibility while the key holder registers, proves, anchors and grants.
 * An adapter per request made concurrent writes fail with {@code LOCKED} (one nonce owner per key
 * in a process); with one shared adapter every write succeeds and no read is a 500.
 */
class HttpEvmSharedLedgerTest {
  @TempDir Path dir;

  @Test
  void readsNeverLockWritesOut() throws Exception {
    Path config = dir.resolve("dev-ledger.json");
    Run start = run("ledger", "start-dev", "--detach", "--out", s(config), "--pool-policy", "credit-policy-v1", "--json");
    assertEquals(0, start.exit(), start.toString());
    LedgerOptions evm = new LedgerOptions();
    evm.kind = "evm";
    evm.ledgerConfig = config;
    evm.timeoutSeconds = 60;
    HttpApi api = HttpApiTest.start(dir.resolve("data"), evm, 1, 4, new PrintStream(new ByteArrayOutputStream(), true));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean stop = new AtomicBoolean();
    try {
      String base = "http://127.0.0.1:" + api.port();
      List<Future<List<String>>> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        readers.add(pool.submit(() -> {
          List<String> bad = new ArrayList<>();
          for (int i = 0; i < 2000 && !stop.get(); i++) {
            HttpApiTest.Res r = i % 2 == 0 ? HttpApiTest.get(base, "/ready")
                : HttpApiTest.get(base, "/v1/eligibility?subject=" + HttpApiTest.SUBJECT + "&policy=credit-policy-v1");
            if (r.status() >= 500 && r.status() != 503) {
              bad.add(r.toString());
            }
          }
          return bad;
        }));
      }
      com.fasterxml.jackson.databind.node.ObjectNode ib = HttpApiTest.JSON.createObjectNode();
      ib.set("model", HttpApiTest.JSON.readTree(ModelCommandsTest.SCORECARD));
      ib.put("dataset_csv", ModelCommandsTest.CSV);
      ib.put("label", "label");
      ib.put("positive", "1");
      ib.put("policy", "credit-policy-v1"); // registered and bound to the policy on the gate
      HttpApiTest.Res imp = HttpApiTest.post(base, "/v1/models", ib.toString(), true);
      assertEquals(201, imp.status(), imp.toString());
      assertEquals("FINAL", imp.json().path("registration").path("status").asText(), imp.toString());
      // Importing with a policy on EVM sets the policy's whole rule on the gate: this model, at least
      // the model's threshold (620, the scorecard's cutoff), so the grant below needs no other step.
      assertTrue(imp.json().path("registration").path("policy_bound").asBoolean(), imp.toString());
      assertEquals(620.0, imp.json().path("registration").path("threshold").asDouble(), imp.toString());
      String model = imp.json().get("model_id").asText();
      String body = HttpApiTest.decisionBody(model, 3, "0.9"); // chain id: the ledger's (31337)
      HttpApiTest.Res d = HttpApiTest.post(base, "/v1/decisions", body, true);
      assertEquals(201, d.status(), d.toString());
      HttpApiTest.Res a = HttpApiTest.post(base, "/v1/anchors", "", true);
      assertEquals(200, a.status(), a.toString());
      HttpApiTest.Res g = HttpApiTest.post(base, "/v1/eligibility/grants",
          "{\"decision_id\":\"" + d.json().get("decision_id").asText() + "\"}", true);
      assertEquals(201, g.status(), g.toString());
      HttpApiTest.Res e = HttpApiTest.get(base, "/v1/eligibility?subject=" + HttpApiTest.SUBJECT + "&policy=credit-policy-v1");
      assertTrue(e.json().get("eligible").asBoolean(), e.toString());
      stop.set(true);
      for (Future<List<String>> f : readers) {
        List<String> bad = f.get();
        assertFalse(!bad.isEmpty(), "reads answered 5xx: " + bad.subList(0, Math.min(3, bad.size())));
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      api.close();
      run("ledger", "stop-dev", "--ledger-config", s(config));
    }
  }
}
