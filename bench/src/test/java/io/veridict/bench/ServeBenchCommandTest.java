package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench serve} on a tiny scorecard: every documented key, and every request accounted for. */
class ServeBenchCommandTest {
  @Test
  void reportsThroughputLatencyAndTheBurst(@TempDir Path dir) throws Exception {
    Path card = dir.resolve("card.json");
    Path csv = dir.resolve("data.csv");
    Files.writeString(card, ModelCommandsTest.SCORECARD);
    Files.writeString(csv, ModelCommandsTest.CSV);
    Run r = run("bench", "serve", "--model-file", s(card), "--dataset", s(csv), "--label", "label", "--positive", "1",
        "--threshold", "620", "--requests", "4", "--concurrency", "2", "--prove-threads", "1", "--max-queue", "1",
        "--burst", "6", "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = r.json();
    for (String k : List.of("requests", "ok", "errors", "busy_retries", "throughput_per_s", "latency_ms",
        "server_prove_ms_p50", "verify_http_ms_p50", "anchor_ms", "burst", "peak_heap_mb", "cores")) {
      assertTrue(j.has(k), "missing " + k + ": " + r.out());
    }
    assertEquals(4, j.get("ok").asInt(), "retrying after 503 as asked, every request is proved");
    assertEquals(0, j.get("errors").asInt());
    JsonNode burst = j.get("burst");
    assertEquals(6, burst.get("ok").asInt() + burst.get("busy_503").asInt(), r.out());
    assertTrue(burst.get("busy_503").asInt() >= 1, "1 thread + 1 queue slot cannot take 6 at once: " + r.out());
    assertTrue(j.get("latency_ms").get("p50").asDouble() > 0);
  }
}
