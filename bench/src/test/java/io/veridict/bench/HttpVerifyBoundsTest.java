package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/verify} needs no key, and the circuit it would build comes from the bundle: an
 * attacker names the largest architecture (341 trees of depth 10, 2^20 rows; building that circuit
 * allocates 224 MB and takes 0.33 s on a 2-core machine). The service refuses such a circuit before building anything
 * (422 {@code circuit_not_admitted}), so a flood of them leaves the heap where it was and genuine
 * verifications are still answered.
 */
class HttpVerifyBoundsTest {
  @TempDir static Path dir;
  static HttpApi api;
  static String base;
  static String bundle;
  static String hostile;

  @BeforeAll
  static void start() throws Exception {
    api = HttpApiTest.start(dir.resolve("data"), HttpApiTest.localLedger(dir.resolve("ledger")), 1, 2,
        new PrintStream(new ByteArrayOutputStream(), true));
    base = "http://127.0.0.1:" + api.port();
    HttpApiTest.Res imp = HttpApiTest.importScorecard(base);
    assertEquals(201, imp.status(), imp.toString());
    HttpApiTest.Res p = HttpApiTest.post(base, "/v1/decisions",
        HttpApiTest.decisionBody(imp.json().get("model_id").asText(), 3, "0.9"), true);
    assertEquals(201, p.status(), p.toString());
    bundle = p.json().get("bundle").toString();
    ObjectNode h = (ObjectNode) HttpApiTest.JSON.readTree(bundle);
    ObjectNode arch = (ObjectNode) h.get("model").get("architecture");
    arch.put("num_trees", 341);
    arch.put("tree_depth", 10);
    // A careful attacker keeps the derived size consistent (a stale one is MALFORMED_BUNDLE).
    ((ObjectNode) h.get("model")).put("trace_rows", 1 << 20);
    hostile = h.toString();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void anOversizedArchitectureIsRefusedWithoutBuildingItsCircuit() throws Exception {
    HttpApiTest.Res r = HttpApiTest.post(base, "/v1/verify", hostile, false);
    HttpApiTest.assertError(r, 422, "circuit_not_admitted", "1048576 rows");
    HttpApiTest.Res ok = HttpApiTest.post(base, "/v1/verify", bundle, false);
    assertEquals(200, ok.status(), ok.toString());
    assertTrue(ok.json().get("verified").asBoolean(), ok.toString());
  }

  @Test
  void aFloodOfOversizedArchitecturesLeavesTheHeapBounded_andGenuineRequestsAreServed() throws Exception {
    System.gc();
    HeapSampler heap = HeapSampler.start();
    long baseline = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<HttpApiTest.Res>> floods = new ArrayList<>();
      List<Future<HttpApiTest.Res>> genuine = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        floods.add(pool.submit(() -> HttpApiTest.post(base, "/v1/verify", hostile, false)));
        if (i % 8 == 0) {
          genuine.add(pool.submit(() -> verifyGenuine()));
        }
      }
      int refused = 0;
      for (Future<HttpApiTest.Res> f : floods) {
        HttpApiTest.Res r = f.get();
        // 422 (refused unbuilt) or 503 (the verify lane is full: bounded queue), never anything else.
        assertTrue(r.status() == 422 || r.status() == 503, r.toString());
        refused += r.status() == 422 ? 1 : 0;
      }
      assertTrue(refused > 0, "at least some hostile requests reached the admission check");
      for (Future<HttpApiTest.Res> f : genuine) {
        HttpApiTest.Res r = f.get();
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("verified").asBoolean(), r.toString());
      }
    } finally {
      pool.shutdownNow();
    }
    long peak = heap.stop();
    // Each refused request would otherwise build a 2^20-row circuit (224 MB allocated, 0.33 s), two at
    // a time on the verify lane; the admission check allocates a few MB per request.
    assertTrue(peak - baseline < (512L << 20),
        "heap grew by " + ((peak - baseline) >> 20) + " MB during the flood (baseline " + (baseline >> 20) + " MB)");
  }

  @Test
  void slowSendersCannotHoldTheBodyBudget() throws Exception {
    // 40 connections each declare an 8 MiB bundle (together more than the 256 MiB budget) and then
    // trickle bytes. Jetty cuts each off once it falls below the minimum data rate, which frees its
    // reservation; a genuine verification afterwards is served, not refused with 503.
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        java.net.Socket so = new java.net.Socket("127.0.0.1", api.port());
        so.getOutputStream().write(("POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + (8 << 20) + "\r\n\r\n{\"a\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        so.getOutputStream().flush();
        slow.add(so);
      }
      HttpApiTest.Res r = null;
      // At most 10 s: well inside Jetty's 30 s idle timeout, which would free the budget anyway.
      for (int attempt = 0; attempt < 20; attempt++) {
        for (java.net.Socket so : slow) {
          try {
            so.getOutputStream().write(' '); // one byte a round: far below the minimum rate
          } catch (java.io.IOException e) {
            // cut off by the server: what this test expects
          }
        }
        r = HttpApiTest.post(base, "/v1/verify", bundle, false);
        if (r.status() == 200) {
          break;
        }
        Thread.sleep(500);
      }
      assertEquals(200, r.status(), "a genuine verification while slow senders hold the budget: " + r);
    } finally {
      for (java.net.Socket so : slow) {
        so.close();
      }
    }
  }

  /** A genuine verification, retried while the lane answers 503 (the flood may fill it). */
  private static HttpApiTest.Res verifyGenuine() throws Exception {
    HttpApiTest.Res r = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      r = HttpApiTest.post(base, "/v1/verify", bundle, false);
      if (r.status() != 503) {
        return r;
      }
      Thread.sleep(100);
    }
    return r;
  }
}
