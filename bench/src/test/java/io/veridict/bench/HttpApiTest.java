package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code veridict serve} over real HTTP on loopback (the JDK's {@link HttpClient} against the
 * Javalin/Jetty server), on the embedded ledger: the whole lender flow, authentication, bad input
 * of every kind answered with a 4xx and a clear message, bodies beyond the limits, a burst of
 * concurrent proofs against a small queue (503 + Retry-After, never a 500), logs without personal
 * data, a graceful stop that finishes in-flight proofs, and the resumption of a batch a crash left
 * unfinished.
 */
class HttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "test-api-key-0123456789abcdef-0123456789";
  static final String SUBJECT = "0x00000000000000000000000000000000c0ffee01";
  /** A feature value no log line may contain (the applicant's data). */
  static final String DISTINCT_B = "0.876543219"; // distinctive, and inside the import dataset's range of b, [0.1, 0.9]

  @TempDir static Path dir;
  static HttpApi api;
  static ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String base;
  static String modelId;
  static String commitment;

  record Res(int status, JsonNode json, HttpResponse<String> raw) {
    @Override
    public String toString() {
      String b = raw.body();
      return status + " " + (b.length() > 600 ? b.substring(0, 600) + "..." : b);
    }
  }

  static LedgerOptions localLedger(Path ledgerDir) {
    LedgerOptions l = new LedgerOptions();
    l.kind = "local";
    l.ledgerDir = ledgerDir;
    l.timeoutSeconds = 60;
    return l;
  }

  static HttpApi start(Path data, LedgerOptions ledger, int threads, int queue, PrintStream log) {
    return HttpApi.start(new HttpApi.Config("127.0.0.1", 0, data, Optional.of(HttpApi.sha256(KEY)), threads, queue,
        1 << 20, Duration.ofSeconds(30), "standard", ledger, HttpApi.DEFAULT_VERIFY_MAX_ROWS), new ServiceLog(log));
  }

  @BeforeAll
  static void startAndImport() throws Exception {
    api = start(dir.resolve("data"), localLedger(dir.resolve("ledger")), 1, 2,
        new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    base = "http://127.0.0.1:" + api.port();
    Res imp = importScorecard(base);
    assertEquals(201, imp.status(), imp.toString());
    modelId = imp.json().get("model_id").asText();
    commitment = imp.json().get("model_commitment").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    // Every answer this class received (errors included): none carries the key or a private value.
    Set<String> secrets = new HashSet<>(Set.of(KEY));
    try (var models = Files.list(dir.resolve("data").resolve("models"))) {
      for (Path m : models.toList()) {
        String publicText = Files.readString(m.resolve(Cli.PUBLIC_FILE));
        Set<String> leaves = new java.util.TreeSet<>();
        HttpSecurityTest.leaves(JSON.readTree(m.resolve(Cli.PRIVATE_FILE).toFile()), leaves);
        leaves.removeIf(l -> l.length() < 8 || publicText.contains(l));
        secrets.addAll(leaves);
      }
    }
    assertTrue(secrets.size() > 1, "no private values to look for");
    for (String body : BODIES) {
      for (String v : secrets) {
        assertFalse(body.contains(v), "an answer discloses a secret value: " + (body.length() > 300 ? body.substring(0, 300) : body));
      }
    }
  }

  /** Every response body {@link #send} received, from any test of this package that uses it. */
  static final java.util.Queue<String> BODIES = new java.util.concurrent.ConcurrentLinkedQueue<>();

  static Res importScorecard(String base) throws Exception {
    ObjectNode b = JSON.createObjectNode();
    b.set("model", JSON.readTree(ModelCommandsTest.SCORECARD));
    b.put("dataset_csv", ModelCommandsTest.CSV);
    b.put("label", "label");
    b.put("positive", "1");
    return post(base, "/v1/models", b.toString(), true);
  }

  static String decisionBody(String modelId, double a, String b) {
    return "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":" + a + ",\"b\":" + b + "},\"threshold\":620,"
        + "\"subject\":\"" + SUBJECT + "\",\"policy\":\"credit-policy-v1\"}";
  }

  static Res send(HttpRequest.Builder r) throws IOException, InterruptedException {
    HttpResponse<String> resp = http.send(r.timeout(Duration.ofSeconds(120)).build(),
        HttpResponse.BodyHandlers.ofString());
    BODIES.add(resp.headers().map() + "\n" + resp.body());
    JsonNode j;
    try {
      j = resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body());
    } catch (IOException e) {
      j = JSON.createObjectNode().put("_not_json", resp.body());
    }
    return new Res(resp.statusCode(), j, resp);
  }

  static Res get(String base, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  static Res post(String base, String path, String body, boolean auth) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth) {
      r.header("Authorization", "Bearer " + KEY);
    }
    return send(r);
  }

  static void assertError(Res r, int status, String code, String messagePart) {
    assertEquals(status, r.status(), r.toString());
    JsonNode e = r.json().get("error");
    assertNotNull(e, "error body expected: " + r);
    assertEquals(code, e.get("code").asText(), r.toString());
    assertTrue(e.get("message").asText().contains(messagePart), "message should mention '" + messagePart + "': " + r);
    assertTrue(e.get("request_id").asText().length() > 0);
    assertEquals("application/json", r.raw().headers().firstValue("Content-Type").orElse("").split(";")[0]);
  }

  // ---------------------------------------------------------------- the flow

  @Test
  void theLenderFlowOverHttp_proveVerifyAnchorGrantCheckAudit() throws Exception {
    Res models = get(base, "/v1/models");
    assertEquals(200, models.status());
    assertTrue(models.toString().contains(modelId));
    assertFalse(models.raw().body().contains("\"points\""), "a model listing must not carry weights (scorecard points)");
    Res one = get(base, "/v1/models/" + modelId);
    assertEquals(commitment, one.json().get("model_commitment").asText(), one.toString());

    Res p = post(base, "/v1/decisions", decisionBody(modelId, 3, "0.9"), true);
    assertEquals(201, p.status(), p.toString());
    assertTrue(p.json().get("decision").asBoolean(), "600 + 20 + 15 >= 620");
    String decisionId = p.json().get("decision_id").asText();
    assertEquals("pending_anchor", p.json().get("status").asText());
    String bundle = p.json().get("bundle").toString();
    assertFalse(bundle.contains(DISTINCT_B), "a bundle carries no feature value");

    Res v = post(base, "/v1/verify?expect_model=" + commitment, bundle, false);
    assertEquals(200, v.status(), v.toString());
    assertTrue(v.json().get("verified").asBoolean(), v.toString());
    assertTrue(v.json().get("model_checked").asBoolean());

    // The same bundle with one proof byte changed is rejected with a typed reason (still a 200 verdict).
    ObjectNode tampered = (ObjectNode) JSON.readTree(bundle);
    byte[] proof = Base64.getDecoder().decode(tampered.get("proof").asText());
    proof[proof.length / 2] ^= 1;
    tampered.put("proof", Base64.getEncoder().encodeToString(proof));
    Res tv = post(base, "/v1/verify", tampered.toString(), false);
    assertEquals(200, tv.status(), tv.toString());
    assertFalse(tv.json().get("verified").asBoolean(), tv.toString());
    assertTrue(tv.json().get("reason").asText().matches("[A-Z_]+"), tv.toString());
    Res wrongModel = post(base, "/v1/verify?expect_model=0x" + "ab".repeat(32), bundle, false);
    assertFalse(wrongModel.json().get("verified").asBoolean(), wrongModel.toString());

    Res a = post(base, "/v1/anchors", "", true);
    assertEquals(200, a.status(), a.toString());
    JsonNode batch = a.json().get("batches").get(a.json().get("batches").size() - 1);
    assertEquals("FINAL", batch.get("status").asText(), a.toString());
    assertTrue(batch.get("records").asInt() >= 1);
    assertTrue(batch.get("root").asText().matches("0x[0-9a-f]{64}"));

    Res d = get(base, "/v1/decisions/" + decisionId);
    assertEquals("FINAL", d.json().get("status").asText(), d.toString());
    // The applicant's opening is in the (authenticated) 201 answer only, never served or kept.
    JsonNode opening = p.json().get("opening");
    assertEquals("veridict-input-opening", opening.get("format").asText(), p.toString());
    assertEquals(p.json().get("input_commitment").asText(), opening.get("input_commitment").asText());
    assertFalse(d.json().has("opening") || d.raw().body().contains(opening.get("salt").get(0).asText()),
        "GET /v1/decisions/{id} (no key) must not serve the opening");
    io.veridict.model.InputOpening.fromJsonBytes(opening.toString().getBytes(StandardCharsets.UTF_8))
        .check(io.veridict.model.ProofBundle.fromJsonBytes(bundle.getBytes(StandardCharsets.UTF_8)));
    // The applicant checks it over HTTP too (no key needed: it reveals nothing the caller did not send).
    Res vo = post(base, "/v1/verify/opening?expect_model=" + commitment,
        "{\"bundle\":" + bundle + ",\"opening\":" + opening + "}", false);
    assertEquals(200, vo.status(), vo.toString());
    assertTrue(vo.json().get("verified").asBoolean() && vo.json().get("opening_checked").asBoolean(), vo.toString());
    ObjectNode otherData = (ObjectNode) opening.deepCopy();
    ObjectNode f0 = (ObjectNode) otherData.get("features").get(0);
    f0.put("quantized", f0.get("quantized").asLong() + 1);
    Res bad = post(base, "/v1/verify/opening", "{\"bundle\":" + bundle + ",\"opening\":" + otherData + "}", false);
    assertEquals(200, bad.status(), bad.toString());
    assertFalse(bad.json().get("verified").asBoolean(), bad.toString());
    assertEquals("INPUT_OPENING_MISMATCH", bad.json().get("reason").asText(), bad.toString());
    assertError(post(base, "/v1/verify/opening", "{\"bundle\":" + bundle + "}", false), 400, "bad_request", "nothing else");

    Res g = post(base, "/v1/eligibility/grants", "{\"decision_id\":\"" + decisionId + "\",\"valid_for\":\"1d\"}", true);
    assertEquals(201, g.status(), g.toString());
    Res e = get(base, "/v1/eligibility?subject=" + SUBJECT + "&policy=credit-policy-v1");
    assertEquals(200, e.status(), e.toString());
    assertTrue(e.json().get("eligible").asBoolean(), e.toString());
    Res other = get(base, "/v1/eligibility?subject=0x" + "1".repeat(40) + "&policy=credit-policy-v1");
    assertFalse(other.json().get("eligible").asBoolean(), other.toString());

    Res audit = get(base, "/v1/audit");
    assertEquals(200, audit.status(), audit.toString());
    assertTrue(audit.json().get("all_verified").asBoolean(), audit.toString());
    assertTrue(audit.json().get("records_verified").asInt() >= 1, audit.toString());
    assertTrue(audit.json().get("batches").get(0).get("manifest").asText().startsWith("batches/"),
        "paths relative to the data directory: " + audit);

    // The report is reused while the trail is unchanged, but an edited bundle, even with its file
    // time kept, is audited again and reported; restored, the trail verifies again.
    Path anchored = dir.resolve("data").resolve("batches").resolve(batch.get("batch_id").asText())
        .resolve(decisionId + ".bundle.json");
    byte[] original = Files.readAllBytes(anchored);
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(anchored);
    String edited = new String(original, StandardCharsets.UTF_8).replaceFirst("\"nonce\"\\s*:\\s*\"", "$0x");
    assertFalse(edited.equals(new String(original, StandardCharsets.UTF_8)), "the edit must change the bundle");
    Files.writeString(anchored, edited);
    Files.setLastModifiedTime(anchored, time);
    Res tamperedAudit = get(base, "/v1/audit");
    assertFalse(tamperedAudit.json().get("all_verified").asBoolean(), tamperedAudit.toString());
    Files.write(anchored, original);
    Files.setLastModifiedTime(anchored, time);
    assertTrue(get(base, "/v1/audit").json().get("all_verified").asBoolean());
  }

  @Test
  void aDecisionAtTheThreshold_is422UnderRefuse_andProvedUncertifiedUnderFlag() throws Exception {
    // Issue 15, defect 7: the applicant scores 600 + 20 + 15 = 635; at threshold 635 the margin is
    // within the model's worst-case score error of the threshold.
    String atThreshold = "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9},\"threshold\":635";
    Res refused = post(base, "/v1/decisions", atThreshold + ",\"near_threshold\":\"refuse\"}", true);
    assertError(refused, 422, "near_threshold", "within the model's worst-case score error");
    assertFalse(refused.json().get("error").get("message").asText().contains("635"), "never the score: " + refused);
    assertError(post(base, "/v1/decisions", atThreshold + ",\"near_threshold\":\"maybe\"}", true),
        400, "bad_request", "'near_threshold' must be");
    assertError(post(base, "/v1/decisions", atThreshold + ",\"near_threshold\":true}", true),
        400, "bad_request", "'near_threshold' must be a string");

    Res flagged = post(base, "/v1/decisions", atThreshold + ",\"near_threshold\":\"flag\"}", true);
    assertEquals(201, flagged.status(), flagged.toString());
    assertTrue(flagged.json().get("decision").asBoolean(), "635 >= 635");
    assertEquals(0, flagged.json().get("guard_band").asLong(), flagged.toString());
    assertFalse(flagged.json().get("clear_of_quantization_error").asBoolean(), flagged.toString());
    String bundle = flagged.json().get("bundle").toString();
    Res v = post(base, "/v1/verify", bundle, false);
    assertEquals(200, v.status(), v.toString());
    assertTrue(v.json().get("verified").asBoolean(), v.toString());
    assertFalse(v.json().get("clear_of_quantization_error").asBoolean(), v.toString());
    assertEquals(ModelCommandsTest.SCORE_ERROR_BOUND, v.json().get("score_error_bound").asLong(), v.toString());
    Res strict = post(base, "/v1/verify?require_clear_margin=true", bundle, false);
    assertEquals(200, strict.status(), strict.toString());
    assertFalse(strict.json().get("verified").asBoolean(), strict.toString());
    assertEquals("WITHIN_QUANTIZATION_ERROR", strict.json().get("reason").asText(), strict.toString());
    Res strictOpening = post(base, "/v1/verify/opening?require_clear_margin=true",
        "{\"bundle\":" + bundle + ",\"opening\":" + flagged.json().get("opening") + "}", false);
    assertEquals("WITHIN_QUANTIZATION_ERROR", strictOpening.json().get("reason").asText(), strictOpening.toString());
    assertError(post(base, "/v1/verify?require_clear_margin=yes", bundle, false), 400, "bad_request", "require_clear_margin");

    // The default threshold (620) is far from 635: certified, with the guard band, under either policy.
    ObjectNode refuse = ((ObjectNode) JSON.readTree(decisionBody(modelId, 3, "0.9"))).put("near_threshold", "refuse");
    Res clear = post(base, "/v1/decisions", refuse.toString(), true);
    assertEquals(201, clear.status(), clear.toString());
    assertEquals(ModelCommandsTest.SCORE_ERROR_BOUND, clear.json().get("guard_band").asLong(), clear.toString());
    assertTrue(clear.json().get("clear_of_quantization_error").asBoolean(), clear.toString());
    Res ok = post(base, "/v1/verify?require_clear_margin=true&expect_model=" + commitment, clear.json().get("bundle").toString(), false);
    assertTrue(ok.json().get("verified").asBoolean(), ok.toString());
    assertTrue(ok.json().get("clear_of_quantization_error").asBoolean(), ok.toString());
    Res okOpening = post(base, "/v1/verify/opening?require_clear_margin=true",
        "{\"bundle\":" + clear.json().get("bundle") + ",\"opening\":" + clear.json().get("opening") + "}", false);
    assertTrue(okOpening.json().get("verified").asBoolean() && okOpening.json().get("clear_of_quantization_error").asBoolean(),
        okOpening.toString());
  }

  @Test
  void aDeclineIsProvedToo_butCannotBeGranted() throws Exception {
    Res p = post(base, "/v1/decisions", decisionBody(modelId, 12, "0.1"), true);
    assertEquals(201, p.status(), p.toString());
    assertFalse(p.json().get("decision").asBoolean(), "600 - 5 - 10 < 620");
    Res g = post(base, "/v1/eligibility/grants", "{\"decision_id\":\"" + p.json().get("decision_id").asText() + "\"}", true);
    assertError(g, 422, "rejected", "decline");
  }

  // ---------------------------------------------------------------- health, OpenAPI

  @Test
  void healthReadinessAndTheOpenApiDocumentMatchTheRoutes() throws Exception {
    assertEquals("ok", get(base, "/health").json().get("status").asText());
    Res ready = get(base, "/ready");
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("ready", ready.json().get("status").asText());
    Res o = get(base, "/openapi.json");
    assertEquals(200, o.status());
    assertEquals("3.1.0", o.json().get("openapi").asText());
    JsonNode paths = o.json().get("paths");
    Set<String> documented = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
        String method = m.next();
        documented.add(method.toUpperCase() + " " + p.getKey());
        boolean secured = p.getValue().get(method).has("security");
        boolean routeSecured = HttpApi.ROUTES.stream().anyMatch(r ->
            r.method().equalsIgnoreCase(method) && r.path().equals(p.getKey()) && r.authenticated());
        assertEquals(routeSecured, secured, "security of " + method + " " + p.getKey());
      }
    }
    Set<String> served = new HashSet<>();
    HttpApi.ROUTES.forEach(r -> served.add(r.method() + " " + r.path()));
    assertEquals(served, documented, "every route is documented, and nothing else");
  }

  // ---------------------------------------------------------------- auth

  @Test
  void mutatingCallsNeedTheKey_readsDoNot() throws Exception {
    Res none = post(base, "/v1/decisions", decisionBody(modelId, 3, "0.9"), false);
    assertError(none, 401, "unauthorized", "needs the API key");
    assertTrue(none.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    Res wrong = send(HttpRequest.newBuilder(URI.create(base + "/v1/anchors"))
        .header("Authorization", "Bearer " + KEY + "x").POST(HttpRequest.BodyPublishers.noBody()));
    assertError(wrong, 401, "unauthorized", "wrong API key");
    Res header = send(HttpRequest.newBuilder(URI.create(base + "/v1/models/" + modelId + "/register"))
        .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, header.status(), "X-API-Key is accepted too: " + header);
    for (String path : List.of("/v1/models", "/v1/anchors", "/v1/eligibility/grants")) {
      assertEquals(401, post(base, path, "{}", false).status(), path);
    }
    assertEquals(200, get(base, "/v1/anchors").status());
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badInputGetsA4xxWithAClearMessage() throws Exception {
    assertError(post(base, "/v1/decisions", "{\"model_id\": ", true), 400, "malformed_json", "not valid JSON");
    assertError(post(base, "/v1/decisions", "[1,2]", true), 400, "malformed_json", "JSON object");
    assertError(post(base, "/v1/decisions", "{\"model_id\":\"" + modelId + "\",\"model_id\":\"x\"}", true),
        400, "malformed_json", "Duplicate field");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9},\"threshold\":\"high\"}", true),
        400, "bad_request", "'threshold' must be a finite number");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9}}", true), 400, "bad_request", "'threshold' is required");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9},\"threshold\":620,\"salary\":1}", true),
        400, "bad_request", "unknown field 'salary'");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3},\"threshold\":620}", true), 400, "bad_request", "missing b");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":\"x\"},\"threshold\":620}", true),
        400, "bad_request", "must be a finite number");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":[3],\"threshold\":620}", true), 400, "bad_request", "the model takes 2");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9},\"threshold\":620,\"direction\":\"above\"}", true),
        400, "bad_request", "direction must be at-least or at-most");
    assertError(post(base, "/v1/decisions",
        "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":0.9},\"threshold\":620,\"subject\":\"alice@example.com\"}",
        true), 400, "bad_request", "'subject' must be an address");
    // Issue 15, defect 6: outside the range the model was imported for (its dataset: a in [2, 12]),
    // refused, naming the feature and the range, never the value.
    for (String a : new String[] {"-5", "1e308", "13"}) {
      Res r = post(base, "/v1/decisions",
          "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":" + a + ",\"b\":0.5},\"threshold\":620}", true);
      assertError(r, 422, "unprocessable", "feature 'a' is outside the range the model was imported for, [2.0, 12.0]");
      assertFalse(r.json().get("error").get("message").asText().contains(a), r.toString());
    }
    assertError(post(base, "/v1/decisions", decisionBody("0123456789abcdef", 3, "0.9"), true), 404, "unknown_model", "no model");
    assertError(post(base, "/v1/decisions", decisionBody("../../etc", 3, "0.9"), true), 404, "unknown_model", "no model");
    Res textPlain = send(HttpRequest.newBuilder(URI.create(base + "/v1/decisions"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(decisionBody(modelId, 3, "0.9"))));
    assertError(textPlain, 415, "unsupported_media_type", "application/json");
    assertError(get(base, "/v1/models/zzz"), 404, "unknown_model", "no model");
    assertError(get(base, "/v1/decisions/" + "0".repeat(32)), 404, "unknown_decision", "no decision");
    assertError(get(base, "/v1/nothing-here"), 404, "not_found", "no such route");
    assertError(get(base, "/v1/decisions"), 405, "method_not_allowed", "GET is not allowed");
    assertError(get(base, "/v1/eligibility?subject=" + SUBJECT), 400, "bad_request", "'policy' are required");
    assertError(get(base, "/v1/eligibility?subject=bob&policy=p"), 400, "bad_request", "");
    assertError(post(base, "/v1/verify", "this is not json", false), 400, "malformed_json", "not valid JSON");
    assertError(post(base, "/v1/verify?expect_model=0x12", "{}", false), 400, "bad_request", "expect_model");
    Res garbageBundle = post(base, "/v1/verify", "{\"format\":\"veridict-bundle\",\"version\":1}", false);
    assertEquals(200, garbageBundle.status(), garbageBundle.toString());
    assertFalse(garbageBundle.json().get("verified").asBoolean());
    assertError(post(base, "/v1/eligibility/grants", "{\"decision_id\":\"" + "0".repeat(32) + "\"}", true),
        404, "unknown_decision", "no decision");
    assertError(post(base, "/v1/eligibility/grants", "{\"decision_id\":\"" + "0".repeat(32) + "\",\"valid_for\":\"forever\"}", true),
        400, "bad_request", "valid-for");
    assertError(post(base, "/v1/models", "{\"name\":\"x\"}", true), 400, "bad_request", "exactly one of 'model'");
    assertError(post(base, "/v1/models", "{\"model_base64\":\"***\"}", true), 400, "bad_request", "not valid base64");
    assertError(post(base, "/v1/models", "{\"model\":{\"learner\":{\"nonsense\":true}},\"format\":\"xgboost-json\"}", true),
        422, "unprocessable", "cannot import");
    assertError(post(base, "/v1/models", "{\"model\":{\"a\":1},\"format\":\"pmml\"}", true), 400, "bad_request", "--format");
    ObjectNode wrongLabel = JSON.createObjectNode();
    wrongLabel.set("model", JSON.readTree(ModelCommandsTest.SCORECARD));
    wrongLabel.put("dataset_csv", ModelCommandsTest.CSV);
    wrongLabel.put("label", "label");
    wrongLabel.put("positive", "yes");
    Res wl = post(base, "/v1/models", wrongLabel.toString(), true);
    assertError(wl, 400, "bad_request", "no row of dataset.csv has label = 'yes'");
    assertFalse(wl.json().get("error").get("message").asText().contains("\n"), "one-line message; hints apart: " + wl);
    assertTrue(wl.json().get("error").get("hints").get(0).asText().contains("positive"), wl.toString());
  }

  @Test
  void bodiesBeyondTheLimitAre413_andTheServiceStaysUp() throws Exception {
    // Declared huge: refused from the headers alone, before the client sends the body.
    Res declared = send(HttpRequest.newBuilder(URI.create(base + "/v1/decisions"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .expectContinue(true)
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20]),
            1L << 30)));
    assertError(declared, 413, "payload_too_large", "at most " + HttpApi.MAX_DECISION_BODY);
    // Streamed without a length (chunked): read up to the limit, then refused.
    Res chunked = send(HttpRequest.newBuilder(URI.create(base + "/v1/decisions"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
          long left = 3 * HttpApi.MAX_DECISION_BODY;

          @Override
          public int read() {
            return left-- > 0 ? ' ' : -1;
          }
        })));
    assertError(chunked, 413, "payload_too_large", "larger than " + HttpApi.MAX_DECISION_BODY);
    // A model upload over --max-model-bytes (1 MiB here).
    String big = "{\"model\":{\"pad\":\"" + "x".repeat(2 << 20) + "\"}}";
    assertError(post(base, "/v1/models", big, true), 413, "payload_too_large", "at most");
    assertEquals(200, get(base, "/health").status());
    assertEquals(201, post(base, "/v1/decisions", decisionBody(modelId, 3, "0.9"), true).status());
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void aBurstOfProofsGets201sAnd503sWithRetryAfter_neverA500() throws Exception {
    int n = 16;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Res>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(pool.submit(() -> post(base, "/v1/decisions", decisionBody(modelId, 3, "0.9"), true)));
      }
      int ok = 0;
      int busy = 0;
      List<String> bundles = new ArrayList<>();
      for (Future<Res> f : fs) {
        Res r = f.get();
        if (r.status() == 201) {
          ok++;
          bundles.add(r.json().get("bundle").toString());
        } else {
          assertError(r, 503, "busy", "queue is full");
          long retry = Long.parseLong(r.raw().headers().firstValue("Retry-After").orElseThrow());
          assertTrue(retry >= 1 && retry < 600, "Retry-After " + retry);
          busy++;
        }
      }
      // One prove thread and a queue of two: at most three are admitted at once.
      assertTrue(ok >= 1, "ok " + ok);
      assertTrue(busy >= 1, "with 1 thread + 2 queued, a burst of " + n + " must be refused in part");
      assertEquals(n, ok + busy);
      for (String b : bundles) {
        assertTrue(post(base, "/v1/verify", b, false).json().get("verified").asBoolean());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, get(base, "/health").status());
  }

  // ---------------------------------------------------------------- logs

  @Test
  void logsAreJsonLinesWithNoPersonalData() throws Exception {
    Res p = post(base, "/v1/decisions", decisionBody(modelId, 3, DISTINCT_B), true);
    assertEquals(201, p.status(), p.toString());
    get(base, "/v1/eligibility?subject=" + SUBJECT + "&policy=credit-policy-v1");
    post(base, "/v1/decisions", "{\"model_id\":\"" + modelId + "\",\"features\":{\"a\":3,\"b\":\"" + DISTINCT_B + "x\"},"
        + "\"threshold\":620}", true);
    String log = logBytes.toString(StandardCharsets.UTF_8);
    boolean proved = false;
    for (String line : log.split("\n")) {
      JsonNode j = JSON.readTree(line); // every line is one JSON object
      assertTrue(j.has("ts") && j.has("level") && j.has("event"), line);
      proved |= j.get("event").asText().equals("decision_proved")
          && j.get("decision_id").asText().equals(p.json().get("decision_id").asText());
    }
    assertTrue(proved, "the proof is logged by its decision id");
    assertFalse(log.contains(DISTINCT_B), "a feature value reached the log");
    assertFalse(log.toLowerCase().contains(SUBJECT.substring(2)), "a subject address reached the log");
    assertFalse(log.contains(KEY), "the API key reached the log");
    assertTrue(log.contains("\"route\":\"/v1/eligibility\""), "routes are logged as templates");
  }

  // ---------------------------------------------------------------- shutdown and recovery

  @Test
  void aGracefulStopFinishesInFlightProofs_andRefusesNewWork(@TempDir Path tmp) throws Exception {
    HttpApi second = start(tmp.resolve("data"), localLedger(tmp.resolve("ledger")), 1, 4,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String b2 = "http://127.0.0.1:" + second.port();
    Res imp = importScorecard(b2);
    assertEquals(201, imp.status(), imp.toString());
    String m = imp.json().get("model_id").asText();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Res>> inFlight = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        inFlight.add(pool.submit(() -> post(b2, "/v1/decisions", decisionBody(m, 3, "0.9"), true)));
      }
      // All four accepted (one running, three queued) before the stop begins.
      for (int i = 0; i < 2000 && second.proofsInFlight() < 4 && inFlight.stream().noneMatch(Future::isDone); i++) {
        Thread.sleep(5);
      }
      assertEquals(4, second.proofsInFlight(), "the four proofs are in the lane");
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(second::close);
      for (int i = 0; i < 2000 && !second.draining(); i++) {
        Thread.sleep(1);
      }
      // While draining (three queued proofs still to run): readiness is 503, new mutating work is refused.
      Res ready = get(b2, "/ready");
      Res late = post(b2, "/v1/decisions", decisionBody(m, 3, "0.9"), true);
      assertTrue(second.proofsInFlight() > 0 || !stopping.isDone(), "the checks ran inside the drain window");
      stopping.get();
      for (Future<Res> f : inFlight) {
        assertEquals(201, f.get().status(), "an accepted proof completes during a graceful stop: " + f.get());
      }
      assertEquals(503, ready.status(), ready.toString());
      assertEquals("shutting_down", ready.json().get("status").asText());
      assertError(late, 503, "shutting_down", "shutting down");
      try (var files = Files.list(tmp.resolve("data").resolve("pending"))) {
        assertEquals(4, files.count(), "every completed proof is kept for anchoring");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBatchACrashLeftUnfinishedIsAnchoredAtTheNextStart(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    HttpApi first = start(data, localLedger(tmp.resolve("ledger")), 1, 2,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String b1 = "http://127.0.0.1:" + first.port();
    String m = importScorecard(b1).json().get("model_id").asText();
    Res p = post(b1, "/v1/decisions", decisionBody(m, 3, "0.9"), true);
    assertEquals(201, p.status(), p.toString());
    first.close();
    // What a crash between "move the bundles into the batch" and "anchor it" leaves behind.
    Path batch = data.resolve("batches").resolve("20260101000000-deadbeef");
    Files.createDirectories(batch);
    Files.writeString(batch.resolve("batch.json"), "{\"status\":\"ANCHORING\"}");
    String name = p.json().get("decision_id").asText() + ".bundle.json";
    Files.move(data.resolve("pending").resolve(name), batch.resolve(name));

    HttpApi second = start(data, localLedger(tmp.resolve("ledger")), 1, 2,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      String b2 = "http://127.0.0.1:" + second.port();
      String status = "";
      for (int i = 0; i < 300 && !status.equals("FINAL"); i++) {
        Res a = get(b2, "/v1/anchors");
        status = a.json().get("batches").get(0).get("status").asText();
        Thread.sleep(20);
      }
      assertEquals("FINAL", status, "resumed at start");
      Res audit = get(b2, "/v1/audit");
      assertTrue(audit.json().get("all_verified").asBoolean(), audit.toString());
      assertEquals(1, audit.json().get("records_verified").asInt(), audit.toString());
      Res d = get(b2, "/v1/decisions/" + p.json().get("decision_id").asText());
      assertEquals("FINAL", d.json().get("status").asText(), d.toString());
    } finally {
      second.close();
    }
  }
}
