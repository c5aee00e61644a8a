package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box security checks of {@code veridict serve} over real HTTP: every route of {@link
 * HttpApi#ROUTES} and every parameter it takes (path, query, JSON body field, a few headers)
 * receives each hostile payload of {@link #payloads()} ({@code @file} arguments, path traversal,
 * command-line options, CR/LF, NUL, a 1 MB value), with and without the API key where the route is
 * authenticated. Then, over every exchange the suite produced:
 *
 * <ul>
 *   <li>no answer is a 500 and the service is healthy after each batch;
 *   <li>every answer is JSON (the cases Jetty itself answers before the application sees the
 *       request, encoded separators and traversal in the path and oversized URLs and headers, are
 *       checked in {@link #jettyLevelRejections_encodedSeparatorsTraversalAndHugeUrls_areJsonToo}, apart);
 *   <li>no answer, body or header, discloses the API key, {@code /etc/passwd}, a planted file, the
 *       private model's salt or parameters, the ledger's signing key or the environment;
 *   <li>unauthenticated requests change nothing (anchors, audit, models, the data and ledger
 *       directories) and a value such as {@code --ledger=evm} never reaches a command line as an
 *       option;
 *   <li>no header carries CR/LF-injected content.
 * </ul>
 *
 * <p>All requests are sent once, in {@link #attack()}; the tests judge the recorded exchanges. With
 * {@code HTTPSEC_DUMP=FILE} in the environment, every exchange (one line each, bodies shortened) is
 * written to FILE when the class ends.
 */
class HttpSecurityTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final String POLICY = "credit-policy-v1";
  /** Above this many characters of URL or header, Jetty answers (414/431) before the application. */
  static final int JETTY_HEADER_LIMIT = 8 << 10;

  @TempDir static Path dir;
  static HttpApi api;
  static String base;
  static Path data;
  static Path ledger;
  static String modelId;
  static String decisionId;
  static ObjectNode bundle;
  static Path planted;
  static String plantedLine;
  static final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

  /** Every exchange of the suite, the setup's included. */
  static final List<Exchange> all = new ArrayList<>();
  /** The hostile batches, in the order they were sent, with the health check that followed each. */
  static final List<Batch> batches = new ArrayList<>();
  /** Requests the JDK client refused to build (a CR/LF or NUL in a header value): not sent. */
  static final List<String> notSendable = new ArrayList<>();
  static Snapshot beforeUnauthenticated;
  static Snapshot afterUnauthenticated;
  static long millis;

  record Payload(String label, String value) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** One request: where it goes, which parameter carries which payload, and how it is sent. */
  record Req(String route, String param, String payload, String payloadValue, boolean key, boolean jettyLevel,
      String method, String url, Map<String, String> headers, byte[] body) {
    String describe() {
      String u = url.length() > 160 ? url.substring(0, 160) + "...(" + url.length() + " chars)" : url;
      return route + " [" + param + "] payload=" + payload + (key ? " +key" : " -key") + " " + method + " " + u;
    }
  }

  record Exchange(Req req, int status, HttpHeaders headers, String body, String error) {
    String headerText() {
      if (headers == null) {
        return "";
      }
      StringBuilder s = new StringBuilder();
      headers.map().forEach((k, v) -> v.forEach(x -> s.append(k).append(": ").append(x).append('\n')));
      return s.toString();
    }

    String contentType() {
      return headers == null ? "" : headers.firstValue("Content-Type").orElse("");
    }

    String excerpt() {
      String b = body == null ? "" : body;
      if (req.payloadValue() != null && req.payloadValue().length() > 1000) {
        b = b.replace(req.payloadValue(), "<1MB payload>");
      }
      b = b.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
      return b.length() > 300 ? b.substring(0, 300) + "...(" + b.length() + " chars)" : b;
    }

    @Override
    public String toString() {
      return req.describe() + " -> " + (error != null ? "NO ANSWER: " + error
          : status + " [" + contentType() + "] " + excerpt());
    }
  }

  record Batch(String name, boolean key, List<Exchange> exchanges, Exchange health) {}

  record Snapshot(String anchors, String audit, String models, List<String> dataFiles, List<String> ledgerFiles) {}

  // ---------------------------------------------------------------- setup and the attack

  @BeforeAll
  static void attack() throws Exception {
    long t0 = System.nanoTime();
    data = dir.resolve("data");
    ledger = dir.resolve("ledger");
    api = HttpApiTest.start(data, HttpApiTest.localLedger(ledger), 2, 16,
        new PrintStream(serverLog, true, StandardCharsets.UTF_8));
    base = "http://127.0.0.1:" + api.port();

    HttpApiTest.Res imp = HttpApiTest.importScorecard(base);
    all.add(record("setup", imp));
    assertEquals(201, imp.status(), imp.toString());
    modelId = imp.json().get("model_id").asText();
    Exchange proved = send(plain("setup", "POST", "/v1/decisions", true,
        HttpApiTest.decisionBody(modelId, 3, "0.9").getBytes(StandardCharsets.UTF_8)));
    assertEquals(201, proved.status(), proved.toString());
    JsonNode p = HttpApiTest.JSON.readTree(proved.body());
    decisionId = p.get("decision_id").asText();
    bundle = (ObjectNode) p.get("bundle");

    plantedLine = "planted-line-" + HexFormat.of().formatHex(randomBytes(8));
    planted = dir.resolve("planted.txt");
    Files.writeString(planted, plantedLine + "\n--ledger=evm\n--json\n-h\n--ledger-dir=/tmp/elsewhere\n");

    List<List<Req>> groups = new ArrayList<>();
    pathParams(groups);
    queryParams(groups);
    bodyFields(groups);
    headerParams(groups);

    // The unauthenticated requests first, between two snapshots of everything they could change.
    beforeUnauthenticated = snapshot();
    for (List<Req> g : groups) {
      runBatch(g, false);
    }
    afterUnauthenticated = snapshot();
    for (List<Req> g : groups) {
      runBatch(g, true);
    }
    millis = (System.nanoTime() - t0) / 1_000_000;
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    long sent = all.stream().filter(e -> e.req() != null).count();
    System.out.println("HttpSecurityTest: " + sent + " requests (" + batches.size() + " hostile batches, "
        + batches.stream().mapToInt(b -> b.exchanges().size()).sum() + " hostile requests), "
        + notSendable.size() + " not sendable by the JDK client, in " + millis + " ms");
    String dump = System.getenv("HTTPSEC_DUMP");
    if (dump != null) {
      try (PrintStream o = new PrintStream(dump, StandardCharsets.UTF_8)) {
        o.println("SECRETS " + secrets());
        for (Exchange e : all) {
          o.println(e);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  static List<Payload> payloads() {
    Path privateFile = data.resolve("models").resolve(modelId).resolve(Cli.PRIVATE_FILE);
    return List.of(
        new Payload("@/etc/passwd", "@/etc/passwd"),
        new Payload("@/proc/self/environ", "@/proc/self/environ"),
        new Payload("@planted", "@" + planted),
        new Payload("@model.private.json", "@" + privateFile),
        new Payload("../../../../etc/passwd", "../../../../etc/passwd"),
        new Payload("..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd"),
        new Payload("--ledger=evm", "--ledger=evm"),
        new Payload("--json", "--json"),
        new Payload("-h", "-h"),
        new Payload("CRLF", "a\r\nX-Injected: 1"),
        new Payload("NUL", "a\u0000b"),
        new Payload("1MB", "A".repeat(1 << 20)));
  }

  /** Path values sent as they are (not encoded): traversal and encoded separators Jetty sees. */
  static List<Payload> rawPathPayloads() {
    return List.of(
        new Payload("raw ../../../../etc/passwd", "../../../../etc/passwd"),
        new Payload("raw ..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd"),
        new Payload("raw %2e%2e%2f x4 etc%2fpasswd", "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        new Payload("raw %2e%2e%2f..models/<id>/model.private.json",
            "%2e%2e%2f%2e%2e%2fmodels%2f" + modelId + "%2fmodel.private.json"));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Req plain(String route, String method, String path, boolean key, byte[] body) {
    Map<String, String> h = new LinkedHashMap<>();
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    if (key) {
      h.put("Authorization", "Bearer " + HttpApiTest.KEY);
    }
    return new Req(route, "-", "-", null, key, false, method, base + path, h, body);
  }

  /** A hostile request; whether Jetty answers it before the application is judged from its shape. */
  static Req hostile(HttpApi.Route r, String param, Payload p, boolean key, String pathAndQuery, byte[] body,
      Map<String, String> extraHeaders) {
    Map<String, String> h = new LinkedHashMap<>();
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    if (key) {
      h.put("Authorization", "Bearer " + HttpApiTest.KEY);
    }
    h.putAll(extraHeaders);
    String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
    String lower = path.toLowerCase(Locale.ROOT);
    boolean ambiguousPath = Stream.of("%2f", "%2e", "%5c", "%00", "/../", "/./").anyMatch(lower::contains)
        || lower.endsWith("/..");
    boolean huge = pathAndQuery.length() > JETTY_HEADER_LIMIT
        || extraHeaders.values().stream().anyMatch(v -> v.length() > JETTY_HEADER_LIMIT);
    return new Req(r.method() + " " + r.path(), param, p.label(), p.value(), key, ambiguousPath || huge,
        r.method(), base + pathAndQuery, h, body);
  }

  static HttpApi.Route route(String method, String path) {
    return HttpApi.ROUTES.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no route " + method + " " + path + " in HttpApi.ROUTES"));
  }

  /** Both with and without the key where the route needs it; without only where it does not. */
  static List<Boolean> keys(HttpApi.Route r) {
    return r.authenticated() ? List.of(false, true) : List.of(false);
  }

  static String fill(String template, String value) {
    return template.replace("{model_id}", value).replace("{decision_id}", value);
  }

  static void pathParams(List<List<Req>> groups) {
    for (HttpApi.Route r : HttpApi.ROUTES) {
      if (!r.path().contains("{")) {
        continue;
      }
      String param = r.path().contains("{model_id}") ? "{model_id}" : "{decision_id}";
      for (boolean key : keys(r)) {
        List<Req> g = new ArrayList<>();
        for (Payload p : payloads()) {
          g.add(hostile(r, param, p, key, fill(r.path(), enc(p.value())), null, Map.of()));
        }
        for (Payload p : rawPathPayloads()) {
          g.add(hostile(r, param, p, key, fill(r.path(), p.value()), null, Map.of()));
        }
        groups.add(g);
      }
    }
  }

  static void queryParams(List<List<Req>> groups) throws Exception {
    HttpApi.Route elig = route("GET", "/v1/eligibility");
    for (String param : List.of("subject", "policy")) {
      List<Req> g = new ArrayList<>();
      for (Payload p : payloads()) {
        String subject = param.equals("subject") ? enc(p.value()) : HttpApiTest.SUBJECT;
        String policy = param.equals("policy") ? enc(p.value()) : POLICY;
        g.add(hostile(elig, "?" + param, p, false, "/v1/eligibility?subject=" + subject + "&policy=" + policy, null,
            Map.of()));
      }
      groups.add(g);
    }
    HttpApi.Route verify = route("POST", "/v1/verify");
    List<Req> ev = new ArrayList<>();
    for (Payload p : payloads()) {
      ev.add(hostile(verify, "?expect_model", p, false, "/v1/verify?expect_model=" + enc(p.value()),
          bundle.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    groups.add(ev);
    // Routes that take no parameter get an unexpected one: it must be ignored, never interpreted.
    for (HttpApi.Route r : HttpApi.ROUTES) {
      if (r.path().contains("{") || r.path().equals("/v1/eligibility")) {
        continue;
      }
      // With the body the route takes (a valid one), so that the request gets as far as it can.
      String valid = switch (r.path()) {
        case "/v1/verify" -> bundle.toString();
        case "/v1/verify/opening" -> "{\"bundle\":" + bundle + ",\"opening\":{}}";
        case "/v1/models" -> importBody().toString();
        case "/v1/decisions" -> HttpApiTest.decisionBody(modelId, 3, "0.9");
        case "/v1/eligibility/grants" -> "{\"decision_id\":\"" + decisionId + "\",\"valid_for\":\"1d\"}";
        default -> r.method().equals("POST") ? "" : null;
      };
      for (boolean key : keys(r)) {
        List<Req> g = new ArrayList<>();
        for (Payload p : payloads()) {
          byte[] body = valid == null ? null : valid.getBytes(StandardCharsets.UTF_8);
          g.add(hostile(r, "?unexpected", p, key, r.path() + "?ledger=" + enc(p.value()) + "&q=" + enc(p.value()),
              body, Map.of()));
        }
        groups.add(g);
      }
    }
  }

  static ObjectNode importBody() throws Exception {
    ObjectNode b = HttpApiTest.JSON.createObjectNode();
    b.set("model", HttpApiTest.JSON.readTree(ModelCommandsTest.SCORECARD));
    b.put("dataset_csv", ModelCommandsTest.CSV);
    b.put("label", "label");
    b.put("positive", "1");
    return b;
  }

  /** {@code base} with the value at JSON pointer {@code ptr} set to {@code v} (a missing last field is added). */
  static ObjectNode with(ObjectNode base, String ptr, JsonNode v) {
    ObjectNode copy = base.deepCopy();
    int cut = ptr.lastIndexOf('/');
    JsonNode parent = cut == 0 ? copy : copy.at(ptr.substring(0, cut));
    String last = ptr.substring(cut + 1).replace("~1", "/").replace("~0", "~");
    if (parent instanceof ObjectNode o) {
      o.set(last, v);
    } else if (parent instanceof ArrayNode a) {
      a.set(Integer.parseInt(last), v);
    } else {
      throw new IllegalArgumentException("no parent for " + ptr + " in " + base);
    }
    return copy;
  }

  /** Each field (by JSON pointer) of {@code base} set to each payload, plus an unknown field named by it. */
  static void bodyGroups(List<List<Req>> groups, HttpApi.Route r, String path, ObjectNode base, List<String> pointers) {
    for (boolean key : keys(r)) {
      for (String ptr : pointers) {
        List<Req> g = new ArrayList<>();
        for (Payload p : payloads()) {
          ObjectNode b = ptr.equals("/model_base64") ? with(base, ptr, TextNode.valueOf(p.value())) : null;
          if (b != null) {
            b.remove("model"); // exactly one of model and model_base64
          } else {
            b = with(base, ptr, TextNode.valueOf(p.value()));
          }
          g.add(hostile(r, "body" + ptr, p, key, path, b.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        groups.add(g);
      }
      List<Req> g = new ArrayList<>();
      for (Payload p : payloads()) {
        ObjectNode b = base.deepCopy();
        b.put(p.value(), 1);
        g.add(hostile(r, "body:<field name>", p, key, path, b.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
      }
      groups.add(g);
    }
  }

  static void bodyFields(List<List<Req>> groups) throws Exception {
    bodyGroups(groups, route("POST", "/v1/models"), "/v1/models", importBody(), List.of("/name", "/format", "/model",
        "/model_base64", "/dataset_csv", "/label", "/positive", "/threshold", "/min_agreement", "/register", "/policy",
        "/model/name", "/model/features/0/name", "/model/features/0/bins/0/points"));
    bodyGroups(groups, route("POST", "/v1/models/{model_id}/register"), "/v1/models/" + modelId + "/register",
        (ObjectNode) HttpApiTest.JSON.readTree("{\"policy\":\"" + POLICY + "\"}"), List.of("/policy"));
    ObjectNode decision = (ObjectNode) HttpApiTest.JSON.readTree(HttpApiTest.decisionBody(modelId, 3, "0.9"));
    bodyGroups(groups, route("POST", "/v1/decisions"), "/v1/decisions", decision, List.of("/model_id", "/features",
        "/features/a", "/features/b", "/features/" + "~1etc~1passwd", "/threshold", "/direction", "/subject", "/policy",
        "/chain_id", "/nonce", "/expires_in"));
    ObjectNode grant = HttpApiTest.JSON.createObjectNode().put("decision_id", decisionId).put("valid_for", "1d");
    bodyGroups(groups, route("POST", "/v1/eligibility/grants"), "/v1/eligibility/grants", grant,
        List.of("/decision_id", "/valid_for"));

    // The bundle: every field of a real one (containers and leaves; the first element of arrays), and the whole body.
    List<String> pointers = new ArrayList<>();
    pointers(bundle, "", pointers);
    bodyGroups(groups, route("POST", "/v1/verify"), "/v1/verify", bundle, pointers);
    HttpApi.Route verify = route("POST", "/v1/verify");
    List<Req> whole = new ArrayList<>();
    for (Payload p : payloads()) {
      whole.add(hostile(verify, "body (a JSON string)", p, false, "/v1/verify",
          TextNode.valueOf(p.value()).toString().getBytes(StandardCharsets.UTF_8), Map.of()));
      whole.add(hostile(verify, "body (raw bytes)", p, false, "/v1/verify", p.value().getBytes(StandardCharsets.UTF_8),
          Map.of()));
    }
    groups.add(whole);
  }

  static void pointers(JsonNode n, String at, List<String> out) {
    if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        out.add(p);
        pointers(e.getValue(), p, out);
      }
    } else if (n instanceof ArrayNode a && !a.isEmpty()) {
      String p = at + "/0";
      out.add(p);
      pointers(a.get(0), p, out);
    }
  }

  static void headerParams(List<List<Req>> groups) {
    HttpApi.Route health = route("GET", "/health");
    HttpApi.Route anchors = route("POST", "/v1/anchors");
    HttpApi.Route verify = route("POST", "/v1/verify");
    List<Req> rid = new ArrayList<>();
    List<Req> auth = new ArrayList<>();
    for (Payload p : payloads()) {
      rid.add(hostile(health, "header X-Request-Id", p, false, "/health", null, Map.of("X-Request-Id", p.value())));
      rid.add(hostile(verify, "header X-Request-Id", p, false, "/v1/verify", "{}".getBytes(StandardCharsets.UTF_8),
          Map.of("X-Request-Id", p.value())));
      // A wrong key of every shape: never accepted, never echoed.
      auth.add(hostile(anchors, "header Authorization", p, false, "/v1/anchors", null,
          Map.of("Authorization", "Bearer " + p.value())));
      auth.add(hostile(anchors, "header X-API-Key", p, false, "/v1/anchors", null, Map.of("X-API-Key", p.value())));
    }
    groups.add(rid);
    groups.add(auth);
  }

  static void runBatch(List<Req> group, boolean key) {
    List<Exchange> out = new ArrayList<>();
    for (Req q : group) {
      if (q.key() == key) {
        Exchange e = send(q);
        if (e != null) {
          out.add(e);
        }
      }
    }
    if (out.isEmpty()) {
      return;
    }
    Exchange h = send(plain("health after batch", "GET", "/health", false, null));
    Req first = out.get(0).req();
    batches.add(new Batch(first.route() + " [" + first.param() + "] " + (key ? "+key" : "-key"), key, out, h));
  }

  static Exchange send(Req q) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(q.url())).timeout(TIMEOUT);
      q.headers().forEach(b::header);
    } catch (IllegalArgumentException e) {
      notSendable.add(q.describe() + ": " + e.getMessage());
      return null;
    }
    b.method(q.method(), q.body() == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(q.body()));
    Exchange e;
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      e = new Exchange(q, r.statusCode(), r.headers(), r.body(), null);
    } catch (IOException ex) {
      e = new Exchange(q, -1, null, "", ex.toString());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
    synchronized (all) {
      all.add(e);
    }
    return e;
  }

  static Exchange record(String what, HttpApiTest.Res r) {
    return new Exchange(new Req(what, "-", "-", null, true, false, r.raw().request().method(),
        r.raw().request().uri().toString(), Map.of(), null), r.status(), r.raw().headers(), r.raw().body(), null);
  }

  static Snapshot snapshot() throws Exception {
    Exchange a = send(plain("snapshot", "GET", "/v1/anchors", false, null));
    Exchange au = send(plain("snapshot", "GET", "/v1/audit", false, null));
    Exchange m = send(plain("snapshot", "GET", "/v1/models", false, null));
    JsonNode aj = HttpApiTest.JSON.readTree(a.body());
    JsonNode auj = HttpApiTest.JSON.readTree(au.body());
    JsonNode mj = HttpApiTest.JSON.readTree(m.body());
    List<String> ids = new ArrayList<>();
    mj.path("models").forEach(x -> ids.add(x.path("model_id").asText()));
    return new Snapshot(
        "batches=" + aj.path("batches").size() + " pending=" + aj.path("pending").asText(),
        "status=" + au.status() + " records_verified=" + auj.path("records_verified").asText()
            + " batches=" + auj.path("batches").size() + " all_verified=" + auj.path("all_verified").asText(),
        String.join(",", ids), tree(data, Set.of("tmp")), tree(ledger, Set.of()));
  }

  /** The files under {@code root} with their sizes, skipping the named top-level directories. */
  static List<String> tree(Path root, Set<String> skip) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(f -> !skip.contains(root.relativize(f).getName(0).toString()))
          .map(f -> {
            try {
              return root.relativize(f) + " " + Files.size(f);
            } catch (IOException e) {
              return root.relativize(f) + " ?";
            }
          }).sorted().toList();
    }
  }

  // ---------------------------------------------------------------- judging

  static Stream<DynamicTest> perBatch(Predicate<Exchange> include, Predicate<Exchange> ok, String what) {
    return batches.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
      List<String> bad = new ArrayList<>();
      for (Exchange e : b.exchanges()) {
        if (include.test(e) && !ok.test(e)) {
          bad.add(e.toString());
        }
      }
      if (!bad.isEmpty()) {
        fail(bad.size() + " answer(s) " + what + ":\n  " + String.join("\n  ", bad));
      }
    }));
  }

  static boolean answered(Exchange e) {
    return e.error() == null && e.status() >= 100;
  }

  static boolean isJson(Exchange e) {
    if (!e.contentType().toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return false;
    }
    try {
      return !e.body().isEmpty() && HttpApiTest.JSON.readTree(e.body()) != null;
    } catch (IOException ex) {
      return false;
    }
  }

  @TestFactory
  Stream<DynamicTest> noAnswerIsA500_andTheServiceIsHealthyAfterEveryBatch() {
    return batches.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
      List<String> bad = new ArrayList<>();
      for (Exchange e : b.exchanges()) {
        // A URL or header far over Jetty's limit is refused (414/431) and the connection closed while
        // the client may still be sending it; the client can then lose the answer to the reset. That
        // is the server refusing to read, not failing: the health check below shows it is up.
        boolean oversizedHead = e.req().jettyLevel() && e.req().payload().equals("1MB");
        if ((!answered(e) && !oversizedHead) || e.status() == 500) {
          bad.add(e.toString());
        }
      }
      if (!answered(b.health()) || b.health().status() != 200) {
        bad.add("health check after the batch: " + b.health());
      }
      if (!bad.isEmpty()) {
        fail(bad.size() + " answer(s) were a 500, no answer or an unhealthy service:\n  " + String.join("\n  ", bad));
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyApplicationAnswerIsJson() {
    return perBatch(e -> answered(e) && !e.req().jettyLevel(), HttpSecurityTest::isJson,
        "not application/json with a JSON body");
  }

  /**
   * The requests Jetty may answer before the application sees them: encoded separators or dot
   * segments and traversal in the path ({@code %2F}, {@code %2e}, {@code ..}, {@code %00}) and URLs
   * or headers beyond Jetty's header limit. Kept apart from {@link #everyApplicationAnswerIsJson}
   * so that a fix on the Jetty side (an error handler rendering JSON) can be decided separately.
   */
  @TestFactory
  Stream<DynamicTest> jettyLevelRejections_encodedSeparatorsTraversalAndHugeUrls_areJsonToo() {
    return perBatch(e -> answered(e) && e.req().jettyLevel(), HttpSecurityTest::isJson,
        "(Jetty-level: encoded separator, traversal or oversized URL/header) not application/json with a JSON body");
  }

  /** Every secret the service could leak, by what it is. */
  static Map<String, Set<String>> secrets() throws IOException {
    Map<String, Set<String>> s = new LinkedHashMap<>();
    s.put("the API key", Set.of(HttpApiTest.KEY));
    Set<String> passwd = new TreeSet<>();
    Path etcPasswd = Path.of("/etc/passwd");
    if (Files.isReadable(etcPasswd)) {
      for (String l : Files.readAllLines(etcPasswd)) {
        if (l.strip().length() > 8) {
          passwd.add(l.strip());
        }
      }
    }
    s.put("a line of /etc/passwd", passwd);
    s.put("the planted file's line", Set.of(plantedLine));
    Path modelDir = data.resolve("models").resolve(modelId);
    String publicText = Files.readString(modelDir.resolve(Cli.PUBLIC_FILE));
    Set<String> leaves = new TreeSet<>();
    leaves(HttpApiTest.JSON.readTree(modelDir.resolve(Cli.PRIVATE_FILE).toFile()), leaves);
    leaves.removeIf(l -> l.length() < 8 || publicText.contains(l));
    s.put("a value of model.private.json that model.public.json does not hold", leaves);
    String path = System.getenv("PATH");
    s.put("the environment (PATH)", path != null && path.length() > 8 ? Set.of(path) : Set.of());
    Set<String> ledgerKeys = new TreeSet<>();
    Path localKey = ledger.resolve("local.key");
    if (Files.isRegularFile(localKey)) {
      String k = Files.readString(localKey).strip();
      if (k.length() >= 8) {
        ledgerKeys.add(k);
      }
    }
    s.put("the ledger's signing key", ledgerKeys);
    return s;
  }

  static void leaves(JsonNode n, Set<String> out) {
    if (n.isContainerNode()) {
      n.forEach(c -> leaves(c, out));
    } else if (!n.isNull()) {
      out.add(n.asText());
    }
  }

  @TestFactory
  Stream<DynamicTest> noAnswerDisclosesASecret() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Set<String>> s : secrets().entrySet()) {
      tests.add(DynamicTest.dynamicTest(s.getKey() + " (" + s.getValue().size() + " values)", () -> {
        assertFalse(s.getValue().isEmpty(), "nothing to look for: " + s.getKey());
        List<String> bad = new ArrayList<>();
        List<Exchange> snapshot;
        synchronized (all) {
          snapshot = List.copyOf(all);
        }
        for (Exchange e : snapshot) {
          String text = e.headerText() + "\n" + e.body();
          for (String v : s.getValue()) {
            int i = text.indexOf(v);
            if (i >= 0) {
              String around = text.substring(Math.max(0, i - 80), Math.min(text.length(), i + v.length() + 40))
                  .replace("\n", "\\n");
              bad.add(e.req().describe() + " -> " + e.status() + " contains '" + v + "': ..." + around + "...");
              break;
            }
          }
        }
        if (!bad.isEmpty()) {
          fail(bad.size() + " answer(s) disclose " + s.getKey() + ":\n  " + String.join("\n  ", bad));
        }
      }));
    }
    return tests.stream();
  }

  @Test
  void noHeaderCarriesCrLfInjectedContent() {
    List<String> bad = new ArrayList<>();
    for (Exchange e : all) {
      if (e.headers() == null) {
        continue;
      }
      e.headers().map().forEach((k, v) -> {
        if (k.equalsIgnoreCase("X-Injected")) {
          bad.add(e.req().describe() + " -> header " + k + ": " + v);
        }
        for (String x : v) {
          if (x.contains("\r") || x.contains("\n") || x.contains("X-Injected") || x.contains("\u0000")) {
            bad.add(e.req().describe() + " -> header " + k + " carries injected content: " + x.replace("\r", "\\r")
                .replace("\n", "\\n"));
          }
        }
      });
    }
    assertTrue(bad.isEmpty(), bad.size() + " header(s) injected:\n  " + String.join("\n  ", bad));
  }

  @Test
  void unauthenticatedRequestsChangeNothing_andAreRefusedWhereTheKeyIsNeeded() {
    assertEquals(beforeUnauthenticated.anchors(), afterUnauthenticated.anchors(), "GET /v1/anchors");
    assertEquals(beforeUnauthenticated.audit(), afterUnauthenticated.audit(), "GET /v1/audit");
    assertEquals(beforeUnauthenticated.models(), afterUnauthenticated.models(), "GET /v1/models");
    assertEquals(beforeUnauthenticated.dataFiles(), afterUnauthenticated.dataFiles(), "the data directory");
    assertEquals(beforeUnauthenticated.ledgerFiles(), afterUnauthenticated.ledgerFiles(), "the ledger directory");
    List<String> bad = new ArrayList<>();
    for (Batch b : batches) {
      for (Exchange e : b.exchanges()) {
        boolean needsKey = HttpApi.ROUTES.stream().anyMatch(r -> (r.method() + " " + r.path()).equals(e.req().route())
            && r.authenticated());
        if (!needsKey || e.req().key() || !answered(e)) {
          continue;
        }
        // The application answers 401; Jetty may refuse a malformed request first, never with a 2xx.
        boolean ok = e.req().jettyLevel() ? e.status() >= 400 : e.status() == 401;
        if (!ok) {
          bad.add(e.toString());
        }
      }
    }
    assertTrue(bad.isEmpty(), bad.size() + " unauthenticated request(s) to an authenticated route not refused:\n  "
        + String.join("\n  ", bad));
  }

  static final java.util.regex.Pattern EVM_WORDS =
      java.util.regex.Pattern.compile("\\bevm\\b|\\brpc\\b|json-rpc|dev-ledger|ledger-config|chain id|connect");

  /** The JSON strings of {@code body} up to 300 characters, one a line (the body itself if it is not JSON). */
  static String words(String body) {
    try {
      List<String> out = new ArrayList<>();
      collectWords(HttpApiTest.JSON.readTree(body), out);
      return String.join("\n", out);
    } catch (IOException | RuntimeException ex) {
      return body;
    }
  }

  static void collectWords(JsonNode n, List<String> out) {
    if (n == null) {
      return;
    }
    if (n.isContainerNode()) {
      n.forEach(c -> collectWords(c, out));
    } else if (n.isTextual() && n.asText().length() <= 300) {
      out.add(n.asText());
    }
  }

  @Test
  void optionLikeValuesNeverBecomeCommandLineOptions_noEvmConnection() {
    List<String> bad = new ArrayList<>();
    for (Batch b : batches) {
      for (Exchange e : b.exchanges()) {
        String label = e.req().payload();
        if (!answered(e) || !Set.of("--ledger=evm", "--json", "-h").contains(label)) {
          continue;
        }
        String body = e.body().replace(e.req().payloadValue(), "<payload>");
        String lower = body.toLowerCase(Locale.ROOT);
        // What the answer says in words (its short strings; a proof's base64 can hold any letters).
        String words = words(e.body()).replace(e.req().payloadValue(), "<payload>").toLowerCase(Locale.ROOT);
        if (label.equals("--ledger=evm") && !e.req().route().equals("GET /openapi.json")
            && (e.status() == 502 || words.contains("ledger_error") || EVM_WORDS.matcher(words).find())) {
          bad.add("EVM/ledger reached: " + e);
        }
        // Help text or an empty object would be the command's own output for an injected option.
        if (e.status() >= 200 && e.status() < 300 && !e.req().route().equals("GET /openapi.json")
            && (body.contains("Usage:") || body.strip().equals("{}"))) {
          bad.add("an option was taken as one (help text or empty output): " + e);
        }
        if (lower.contains("usage: veridict") || lower.contains("missing required parameter for option")
            || lower.contains("unknown option")) {
          bad.add("the value reached a command line as an option: " + e);
        }
      }
    }
    assertTrue(bad.isEmpty(), bad.size() + " option-like value(s) interpreted:\n  " + String.join("\n  ", bad));
  }

  @Test
  void theSuiteSentWhatItClaims() {
    long hostile = batches.stream().mapToInt(b -> b.exchanges().size()).sum();
    assertTrue(hostile > 1000, "hostile requests: " + hostile);
    Set<String> routes = new TreeSet<>();
    batches.forEach(b -> b.exchanges().forEach(e -> routes.add(e.req().route())));
    Set<String> all = new TreeSet<>();
    HttpApi.ROUTES.forEach(r -> all.add(r.method() + " " + r.path()));
    assertEquals(all, routes, "every route is attacked");
    Optional<String> unsent = notSendable.stream().filter(s -> !s.contains("CRLF") && !s.contains("NUL")
        && !s.contains("1MB")).findFirst();
    assertTrue(unsent.isEmpty(), "only CR/LF, NUL (and oversized) header values may be unsendable: " + unsent);
  }
}
