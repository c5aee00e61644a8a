package io.veridict.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerInfo;
import io.veridict.core.proof.ProofOptions;
import io.veridict.model.CircuitCache;
import io.veridict.model.Commitments;
import io.veridict.model.DecisionProver;
import io.veridict.model.DecisionStatement;
import io.veridict.model.InputOpening;
import io.veridict.model.DecisionVerificationException;
import io.veridict.model.DecisionVerifier;
import io.veridict.model.ModelDescription;
import io.veridict.model.ModelPackage;
import io.veridict.model.Policy;
import io.veridict.model.ProofBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API a lending platform integrates with ({@code veridict serve}), on Javalin (Jetty).
 *
 * <p>Every operation goes through the same code as the command line: proofs through {@link
 * ProveCommand}'s checks and {@link DecisionProver}, verification through {@link DecisionVerifier},
 * and imports, registrations, anchors, grants, eligibility queries and audits through the typed
 * jobs of the corresponding commands ({@link ModelImportCommand#importModel}, {@link
 * AnchorCommand#anchor}, ...) against the ledger the service was started with. No request value
 * ever becomes a command line: values are passed as values, so nothing a client sends can be read
 * as an option or an {@code @file}. The routes are listed in {@link #ROUTES} and described in {@code
 * /openapi.json}; a test keeps the two equal.
 *
 * <p>Resource limits: request bodies are bounded per route and by a global in-flight byte budget;
 * work runs on bounded {@link Lane}s (prove, verify, admin for ledger writes, query for ledger
 * reads) that answer 503 with {@code Retry-After} when full; Jetty's thread pool is bounded.
 * Mutating calls need the API key ({@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}),
 * compared in constant time.
 *
 * <p>Data directory: {@code models/<model_id>/} (the imported model; {@code model.private.json} is
 * SECRET, mode 600), {@code pending/<decision_id>.bundle.json} (proved, not yet anchored), {@code
 * batches/<batch_id>/} (an anchored or anchoring batch: its bundles, the manifest and {@code
 * batch.json} with its state). A batch is moved out of {@code pending/} and its state written
 * before anything is sent to the ledger, and every ledger write goes through the durable outbox, so
 * a crash or a stop mid-anchor loses nothing and sends nothing twice: unfinished batches are
 * resumed at the next start.
 */
final class HttpApi implements AutoCloseable {
  /** A route of the API: its method, its path template and whether it needs the API key. */
  record Route(String method, String path, boolean authenticated) {}

  static final List<Route> ROUTES = List.of(
      new Route("GET", "/health", false),
      new Route("GET", "/ready", false),
      new Route("GET", "/openapi.json", false),
      new Route("GET", "/v1/models", false),
      new Route("POST", "/v1/models", true),
      new Route("GET", "/v1/models/{model_id}", false),
      new Route("POST", "/v1/models/{model_id}/register", true),
      new Route("POST", "/v1/decisions", true),
      new Route("GET", "/v1/decisions/{decision_id}", false),
      new Route("POST", "/v1/verify", false),
      new Route("POST", "/v1/verify/opening", false),
      new Route("POST", "/v1/anchors", true),
      new Route("GET", "/v1/anchors", false),
      new Route("GET", "/v1/eligibility", false),
      new Route("POST", "/v1/eligibility/grants", true),
      new Route("GET", "/v1/audit", false));

  /** The service's configuration ({@code apiKeySha256} empty only with {@code --insecure-no-auth}). */
  record Config(String host, int port, Path dataDir, Optional<byte[]> apiKeySha256, int proveThreads, int proveQueue,
      long maxModelBytes, Duration shutdownGrace, String profile, LedgerOptions ledger, int verifyMaxRows) {}

  /** {@code --verify-max-rows}'s default: the largest circuit POST /v1/verify builds for a model it does not hold. */
  static final int DEFAULT_VERIFY_MAX_ROWS = 1 << 14;
  /** Unpinned circuits kept for POST /v1/verify (each at most {@code verifyMaxRows} rows). */
  static final int VERIFY_CIRCUITS_KEPT = 8;

  static final long MAX_DECISION_BODY = 256 << 10;
  static final long MAX_SMALL_BODY = 16 << 10;
  /** All request bodies being read at once, together, in KiB. */
  static final int BODY_BUDGET_KIB = 256 << 10;
  static final int JETTY_MAX_THREADS = 64;
  /** The slowest body upload accepted, on average since the request began. */
  static final long MIN_REQUEST_BYTES_PER_SECOND = 16 << 10;

  private static final Pattern MODEL_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern DECISION_ID = Pattern.compile("[0-9a-f]{32}");
  private static final String BATCH_STATE = "batch.json";
  /** Strict on duplicate keys: a body must mean one thing. */
  private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Config cfg;
  private final ServiceLog log;
  private final Path modelsDir;
  private final Path pendingDir;
  private final Path batchesDir;
  private final Path tmpDir;
  private final long chainId;
  private final ProofOptions proofOptions;
  private final Lane prove;
  private final Lane verify;
  private final Lane admin;
  private final Lane query;
  /** The ledger jobs talk to: one shared adapter for a remote ledger ({@link SharedLedger}). */
  private final LedgerOptions ledger;
  private final Semaphore bodyBudget = new Semaphore(BODY_BUDGET_KIB);
  private final Map<String, ModelPackage> packages = new ConcurrentHashMap<>();
  /** Circuits for POST /v1/verify: this server's models pinned, others only up to verifyMaxRows. */
  private final CircuitCache circuits;
  private final DecisionVerifier verifier;
  private final SecureRandom random = new SecureRandom();
  private final byte[] openapi;
  private final Javalin app;
  private volatile boolean draining;
  private volatile ObjectNode readyCache;
  private volatile AuditReport auditCache;
  private volatile long readyCheckedAt;

  private HttpApi(Config cfg, ServiceLog log) {
    this.cfg = cfg;
    this.log = log;
    Path d = cfg.dataDir().toAbsolutePath();
    this.modelsDir = d.resolve("models");
    this.pendingDir = d.resolve("pending");
    this.batchesDir = d.resolve("batches");
    this.tmpDir = d.resolve("tmp");
    try {
      for (Path p : List.of(modelsDir, pendingDir, batchesDir, tmpDir)) {
        Files.createDirectories(p);
      }
    } catch (IOException e) {
      throw Cli.usage("cannot create the data directory " + d + ": " + e.getMessage());
    }
    this.chainId = cfg.ledger().contextChainId();
    this.ledger = cfg.ledger().sharing();
    this.circuits = new CircuitCache(cfg.verifyMaxRows(), VERIFY_CIRCUITS_KEPT);
    this.verifier = DecisionVerifier.standard().withCircuits(circuits);
    this.proofOptions = Cli.profile(cfg.profile());
    int cores = Runtime.getRuntime().availableProcessors();
    this.prove = new Lane("prove", cfg.proveThreads(), cfg.proveQueue(), 1000);
    this.verify = new Lane("verify", cores, 16, 20);
    this.admin = new Lane("admin", 1, 8, 2000);
    this.query = new Lane("query", 2, 16, 500);
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      this.openapi = in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the jar", e);
    }
    this.app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.http.maxRequestSize = Math.max(cfg.maxModelBytes(), ProofBundle.MAX_BYTES);
      c.http.defaultContentType = "application/json";
      c.http.prefer405over404 = true;
      c.jetty.threadPool = new QueuedThreadPool(JETTY_MAX_THREADS, 4, 60_000);
      c.jetty.modifyServer(s -> {
        s.setStopTimeout(cfg.shutdownGrace().toMillis());
        s.setErrorHandler(new JsonErrorHandler(log));
      });
      c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler(log)));
      // A body sent slower than this is cut off (408): a slow sender cannot hold its share of the
      // body budget (reserved from the declared length) for Jetty's whole idle timeout.
      c.jetty.modifyHttpConfiguration(h -> h.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND));
      c.router.ignoreTrailingSlashes = true;
      c.requestLogger.http((ctx, ms) -> log.info("http", o -> {
        o.put("request_id", requestId(ctx));
        o.put("method", ctx.method().name());
        o.put("route", route(ctx)); // the template, never the concrete path or query
        o.put("status", ctx.statusCode());
        o.put("ms", Math.round(ms * 10) / 10.0);
        String id = ctx.attribute("log_id");
        if (id != null) {
          o.put("id", id);
        }
      }));
    });
    routes();
  }

  /** Starts the service; unfinished anchor batches from an earlier run are resumed in the background. */
  static HttpApi start(Config cfg, ServiceLog log) {
    HttpApi api = new HttpApi(cfg, log);
    api.app.start(cfg.host(), cfg.port());
    log.info("started", o -> {
      o.put("port", api.port());
      o.put("ledger", cfg.ledger().kind);
      o.put("auth", cfg.apiKeySha256().isPresent() ? "api-key" : "NONE (insecure)");
      o.put("prove_threads", cfg.proveThreads());
      o.put("prove_queue", cfg.proveQueue());
    });
    api.admitOwnModels();
    api.resumeUnfinishedBatches();
    return api;
  }

  int port() {
    return app.port();
  }

  /** Proofs running or queued (for tests and the readiness answer). */
  int proofsInFlight() {
    return prove.active() + prove.queued();
  }

  /** Whether a graceful stop has begun. */
  boolean draining() {
    return draining;
  }

  // ---------------------------------------------------------------- routing, auth, errors

  private void routes() {
    app.before(ctx -> {
      String rid = ctx.header("X-Request-Id");
      if (rid == null || !rid.matches("[A-Za-z0-9._-]{1,64}")) {
        rid = hex(8);
      }
      ctx.attribute("request_id", rid);
      ctx.header("X-Request-Id", rid);
      ctx.header("Cache-Control", "no-store");
    });
    for (Route r : ROUTES) {
      HandlerType t = HandlerType.valueOf(r.method());
      app.addHttpHandler(t, r.path(), ctx -> {
        if (r.authenticated()) {
          authenticate(ctx);
          if (draining) {
            ctx.header("Connection", "close");
            throw ApiError.of(503, "shutting_down", "the service is shutting down; retry later");
          }
        }
        handle(r, ctx);
      });
    }
    app.exception(ApiError.class, (e, ctx) -> render(ctx, e));
    app.exception(Cli.Failure.class, (e, ctx) -> render(ctx, ApiError.fromExit(e.code, e.getMessage(), e.hints)));
    app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
        render(ctx, e.getStatus() == 404
            ? ApiError.of(404, "not_found", "no such route: " + ctx.method().name() + " " + ctx.path(),
                "The routes are described at GET /openapi.json.")
            : e.getStatus() == 405
                ? ApiError.of(405, "method_not_allowed", ctx.method().name() + " is not allowed on " + ctx.path(),
                    "The routes are described at GET /openapi.json.")
                : ApiError.of(e.getStatus(), "http_" + e.getStatus(), e.getMessage())));
    app.exception(Exception.class, (e, ctx) -> {
      // Never the message: it could echo input. The class and the request id find it in a debugger.
      log.error("unhandled", o -> {
        o.put("request_id", requestId(ctx));
        o.put("exception", e.getClass().getName());
      });
      render(ctx, ApiError.of(500, "internal", "internal error (request " + requestId(ctx) + ")"));
    });
    app.error(404, ctx -> {
      if (ctx.attribute("rendered") == null) {
        render(ctx, ApiError.of(404, "not_found", "no such route: " + ctx.method().name() + " " + ctx.path(),
            "The routes are described at GET /openapi.json."));
      }
    });
    app.error(405, ctx -> {
      if (ctx.attribute("rendered") == null) {
        render(ctx, ApiError.of(405, "method_not_allowed", ctx.method().name() + " is not allowed on " + ctx.path()));
      }
    });
  }

  private void handle(Route r, Context ctx) throws Exception {
    switch (r.method() + " " + r.path()) {
      case "GET /health" -> ctx.json(Map.of("status", "ok"));
      case "GET /ready" -> ready(ctx);
      case "GET /openapi.json" -> ctx.contentType("application/json").result(openapi);
      case "GET /v1/models" -> ctx.json(listModels());
      case "POST /v1/models" -> importModel(ctx);
      case "GET /v1/models/{model_id}" -> ctx.json(publicModel(modelId(ctx)));
      case "POST /v1/models/{model_id}/register" -> registerModel(ctx);
      case "POST /v1/decisions" -> decide(ctx);
      case "GET /v1/decisions/{decision_id}" -> getDecision(ctx);
      case "POST /v1/verify" -> verifyBundle(ctx);
      case "POST /v1/verify/opening" -> verifyOpening(ctx);
      case "POST /v1/anchors" -> async(ctx, 200, admin.submit(this::anchorPending));
      case "GET /v1/anchors" -> ctx.json(listBatches());
      case "GET /v1/eligibility" -> eligibility(ctx);
      case "POST /v1/eligibility/grants" -> grant(ctx);
      case "GET /v1/audit" -> audit(ctx);
      default -> throw new IllegalStateException("unrouted " + r);
    }
  }

  private void authenticate(Context ctx) {
    if (cfg.apiKeySha256().isEmpty()) {
      return; // --insecure-no-auth
    }
    String key = null;
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = auth.substring(7).strip();
    } else if (ctx.header("X-API-Key") != null) {
      key = ctx.header("X-API-Key").strip();
    }
    if (key == null || !MessageDigest.isEqual(sha256(key), cfg.apiKeySha256().get())) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"veridict\"");
      throw ApiError.of(401, "unauthorized", key == null ? "this call needs the API key" : "wrong API key",
          "Send 'Authorization: Bearer <key>' (or 'X-API-Key: <key>'); the key is the one 'veridict serve' was started with.");
    }
  }

  private void render(Context ctx, ApiError e) {
    ctx.attribute("rendered", Boolean.TRUE);
    if (e.retryAfterSeconds > 0) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
    }
    ctx.status(e.status).contentType("application/json").result(Cli.JSON.valueToTree(e.toJson(requestId(ctx))).toString());
  }

  /** The matched route template, or "-" when no route matched (the concrete path may hold anything). */
  private static String route(Context ctx) {
    try {
      String r = ctx.endpointHandlerPath();
      return r == null || r.isEmpty() ? "-" : r;
    } catch (RuntimeException e) {
      return "-";
    }
  }

  private static String requestId(Context ctx) {
    String rid = ctx.attribute("request_id");
    return rid == null ? "-" : rid;
  }

  /** Completes the request from {@code work} on its lane: {@code status} and its JSON, or the error. */
  private void async(Context ctx, int status, CompletableFuture<? extends JsonNode> work) {
    ctx.future(() -> work.handle((body, err) -> {
      if (err != null) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (t instanceof ApiError a) {
          render(ctx, a);
        } else if (t instanceof Cli.Failure f) {
          render(ctx, ApiError.fromExit(f.code, f.getMessage(), f.hints));
        } else {
          log.error("unhandled", o -> {
            o.put("request_id", requestId(ctx));
            o.put("exception", t.getClass().getName());
          });
          render(ctx, ApiError.of(500, "internal", "internal error (request " + requestId(ctx) + ")"));
        }
      } else {
        int s = body.has("_status") ? body.get("_status").asInt() : status;
        if (body instanceof ObjectNode o) {
          o.remove("_status");
        }
        ctx.status(s).contentType("application/json").result(body.toString());
      }
      return null;
    }));
  }

  // ---------------------------------------------------------------- bodies

  /** Reads the body, at most {@code limit} bytes (413 beyond), within the global byte budget (503). */
  private byte[] body(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      ctx.header("Connection", "close");
      throw ApiError.of(413, "payload_too_large",
          "the request body is " + declared + " bytes; this route takes at most " + limit);
    }
    int permits = (int) Math.max(1, ((declared >= 0 ? declared : limit) + 1023) >> 10);
    if (!bodyBudget.tryAcquire(permits)) {
      throw ApiError.busy("too many large requests are being received at once; retry later", 2);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (b.length > limit) {
        ctx.header("Connection", "close");
        throw ApiError.of(413, "payload_too_large", "the request body is larger than " + limit + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw ApiError.badRequest("could not read the request body: the client stopped sending");
    } finally {
      bodyBudget.release(permits);
    }
  }

  /**
   * Whether {@code bytes} are one JSON value, checked by streaming through its tokens: no tree is
   * built (a tree can take 30 times the body's size), so this is cheap on the request thread.
   */
  private static boolean isJson(byte[] bytes) {
    try (JsonParser p = Cli.JSON.getFactory().createParser(bytes)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void requireJson(Context ctx) {
    String ct = ctx.contentType();
    if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw ApiError.of(415, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
  }

  private ObjectNode jsonObject(Context ctx, long limit, Set<String> allowed) {
    requireJson(ctx);
    byte[] b = body(ctx, limit);
    JsonNode n;
    try {
      n = STRICT.readTree(b);
    } catch (JsonProcessingException e) {
      throw ApiError.of(400, "malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.of(400, "malformed_json", "the request body is not valid JSON");
    }
    if (!(n instanceof ObjectNode o)) {
      throw ApiError.of(400, "malformed_json", "the request body must be a JSON object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiError.badRequest("unknown field '" + f + "'", "Allowed fields: " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    return o;
  }

  private static Optional<String> text(ObjectNode o, String field, boolean required) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw ApiError.badRequest("field '" + field + "' is required");
      }
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw ApiError.badRequest("field '" + field + "' must be a string, got " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return Optional.of(n.asText());
  }

  private static Optional<Double> number(ObjectNode o, String field, boolean required) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw ApiError.badRequest("field '" + field + "' is required");
      }
      return Optional.empty();
    }
    if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
      throw ApiError.badRequest("field '" + field + "' must be a finite number, got " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return Optional.of(n.doubleValue());
  }

  private static Optional<Long> integer(ObjectNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw ApiError.badRequest("field '" + field + "' must be an integer, got " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return Optional.of(n.longValue());
  }

  private static boolean bool(ObjectNode o, String field, boolean dflt) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw ApiError.badRequest("field '" + field + "' must be true or false");
    }
    return n.booleanValue();
  }

  // ---------------------------------------------------------------- health

  private void ready(Context ctx) {
    if (draining) {
      ctx.status(503).json(Map.of("status", "shutting_down"));
      return;
    }
    long now = System.nanoTime();
    ObjectNode cached = readyCache;
    if (cached == null || now - readyCheckedAt > 5_000_000_000L) {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("ledger", cfg.ledger().kind);
      try (LedgerAnchor l = ledger.open()) {
        LedgerInfo i = l.info();
        o.put("status", "ready");
        o.put("network_id", i.networkId());
        o.put("final_height", i.finalHeight());
      } catch (LedgerException e) {
        o.put("status", "ledger_unavailable");
        o.put("detail", Cli.firstLine(LedgerFailures.of(e).getMessage()));
      } catch (Cli.Failure e) {
        o.put("status", "ledger_unavailable");
        o.put("detail", Cli.firstLine(e.getMessage()));
      }
      o.put("prove_queue", prove.queued());
      cached = o;
      readyCache = o;
      readyCheckedAt = now;
    }
    ctx.status(cached.path("status").asText().equals("ready") ? 200 : 503).json(cached);
  }

  // ---------------------------------------------------------------- models

  private static final Set<String> IMPORT_FIELDS = Set.of("name", "format", "model", "model_base64", "dataset_csv",
      "label", "positive", "threshold", "min_agreement", "register", "policy");

  private void importModel(Context ctx) {
    ObjectNode b = jsonObject(ctx, cfg.maxModelBytes(), IMPORT_FIELDS);
    JsonNode model = b.get("model");
    Optional<String> b64 = text(b, "model_base64", false);
    if ((model == null || model.isNull()) == b64.isEmpty()) {
      throw ApiError.badRequest("give exactly one of 'model' (the JSON model file: XGBoost JSON or scorecard JSON) "
          + "and 'model_base64' (any model file, e.g. ONNX, base64-encoded)");
    }
    if (model != null && !model.isNull() && !model.isObject()) {
      throw ApiError.badRequest("field 'model' must be the model file's JSON object");
    }
    byte[] modelBytes;
    if (b64.isPresent()) {
      try {
        modelBytes = Base64.getDecoder().decode(b64.get());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("field 'model_base64' is not valid base64");
      }
    } else {
      modelBytes = model.toString().getBytes(StandardCharsets.UTF_8);
    }
    Optional<String> format = text(b, "format", false);
    Optional<String> name = text(b, "name", false);
    Optional<String> csv = text(b, "dataset_csv", false);
    Optional<String> label = text(b, "label", false);
    Optional<String> positive = text(b, "positive", false);
    Optional<Double> threshold = number(b, "threshold", false);
    Optional<Double> minAgreement = number(b, "min_agreement", false);
    boolean register = bool(b, "register", true);
    Optional<String> policy = text(b, "policy", false);
    async(ctx, 201, admin.submit(() -> {
      Path work = tmpDir.resolve(hex(8));
      try {
        Files.createDirectories(work);
        Path file = work.resolve(b64.isPresent() ? "model.onnx" : "model.json");
        Files.write(file, modelBytes);
        Path out = work.resolve("out");
        Path data = null;
        if (csv.isPresent()) {
          data = work.resolve("dataset.csv");
          Files.writeString(data, csv.get());
        }
        Cli.Result r;
        try {
          r = ModelImportCommand.importModel(new ModelImportCommand.Request(file, format.orElse(null), out,
              name.orElse(null), data, label.orElse(null), positive.orElse(null), threshold.orElse(null),
              minAgreement.orElse(ModelImportCommand.DEFAULT_MIN_AGREEMENT), false));
        } catch (Cli.Failure f) {
          // The scratch directory is the server's business: messages name the uploaded files only.
          throw ApiError.fromExit(f.code, f.getMessage().replace(work + "/", "").replace(work.toString(), ""), f.hints);
        }
        String commitment = r.json().path("model_commitment").asText();
        String id = commitment.substring(2, 18);
        Path target = modelsDir.resolve(id);
        moveDirectory(out, target);
        admit(target);
        ObjectNode o = r.json().deepCopy();
        for (String f : List.of("out", "private_file", "public_file", "imported")) {
          o.remove(f);
        }
        o.put("model_id", id);
        String mid = id;
        log.info("model_imported", l -> l.put("model_id", mid));
        if (register) {
          o.set("registration", registration(target, policy, threshold));
        }
        return o;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        deleteTree(work);
      }
    }));
  }

  private void registerModel(Context ctx) {
    String id = modelId(ctx);
    Optional<String> policy = Optional.empty();
    Optional<Double> threshold = Optional.empty();
    if (ctx.req().getContentLengthLong() != 0 && ctx.contentType() != null) {
      ObjectNode b = jsonObject(ctx, MAX_SMALL_BODY, Set.of("policy", "threshold"));
      policy = text(b, "policy", false);
      threshold = number(b, "threshold", false);
    }
    Optional<String> p = policy;
    Optional<Double> t = threshold;
    async(ctx, 200, admin.submit(() -> {
      ObjectNode reg = registration(modelsDir.resolve(id), p, t);
      if (reg.path("status").asText().equals("FAILED")) {
        throw ApiError.of(502, "ledger_error", reg.path("message").asText());
      }
      return reg;
    }));
  }

  /** Registers a model on the ledger; a ledger failure is reported in the result, not thrown. */
  private ObjectNode registration(Path modelDir, Optional<String> policy, Optional<Double> threshold) {
    String message;
    try {
      // On EVM the policy's rule on the gate is this model at the import's threshold (else the
      // model's default), at least, grants of at most 30 days: what 'model register --policy' sets.
      Cli.Result r = ModelRegisterCommand.register(ledger, modelDir, "", Optional.empty(),
          policy.map(p -> new ModelRegisterCommand.PolicyRule(p, threshold, "at-least", "30d")));
      if (r.exit() == Cli.OK || r.exit() == Submissions.NOT_FINAL) {
        return r.json();
      }
      message = r.json().path("detail").asText("the ledger did not take the registration");
    } catch (LedgerException e) {
      message = LedgerFailures.of(e).getMessage();
    } catch (Cli.Failure f) {
      message = f.getMessage();
    }
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("status", "FAILED");
    o.put("message", message);
    o.put("retry", "POST /v1/models/" + modelDir.getFileName() + "/register");
    return o;
  }

  private String modelId(Context ctx) {
    return requireModel(ctx.pathParam("model_id"), "List the models with GET /v1/models.");
  }

  /** {@code id} if it names an imported model, else 404 (ids are checked before they touch a path). */
  private String requireModel(String id, String hint) {
    if (!MODEL_ID.matcher(id).matches() || !Files.isDirectory(modelsDir.resolve(id))) {
      throw ApiError.of(404, "unknown_model", "no model '" + shown(id) + "'", hint);
    }
    return id;
  }

  /** The stored bundle of decision {@code id}, else 404. */
  private Path requireDecision(String id) {
    return (DECISION_ID.matcher(id).matches() ? findBundle(id) : Optional.<Path>empty())
        .orElseThrow(() -> ApiError.of(404, "unknown_decision", "no decision '" + shown(id) + "'"));
  }

  /** A client-supplied id, shortened for an error message. */
  private static String shown(String id) {
    return id.length() > 40 ? id.substring(0, 40) + "..." : id;
  }

  private ObjectNode publicModel(String id) {
    try {
      ObjectNode o = (ObjectNode) Cli.JSON.readTree(Files.readAllBytes(modelsDir.resolve(id).resolve(Cli.PUBLIC_FILE)));
      ObjectNode r = Cli.JSON.createObjectNode();
      r.put("model_id", id);
      r.setAll(o);
      return r;
    } catch (IOException | ClassCastException e) {
      throw ApiError.of(500, "internal", "the model's public description cannot be read");
    }
  }

  private ObjectNode listModels() {
    ObjectNode o = Cli.JSON.createObjectNode();
    ArrayNode a = o.putArray("models");
    try (Stream<Path> s = Files.list(modelsDir)) {
      for (Path p : s.sorted().toList()) {
        String id = p.getFileName().toString();
        if (MODEL_ID.matcher(id).matches() && Files.exists(p.resolve(Cli.PUBLIC_FILE))) {
          a.add(publicModel(id));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return o;
  }

  /** POST /v1/verify builds the circuits of this server's own models whatever their size. */
  private void admitOwnModels() {
    try (Stream<Path> s = Files.list(modelsDir)) {
      s.filter(p -> MODEL_ID.matcher(p.getFileName().toString()).matches()).sorted().forEach(this::admit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void admit(Path modelDir) {
    try {
      byte[] b = Files.readAllBytes(modelDir.resolve(Cli.PUBLIC_FILE));
      circuits.pin(ModelDescription.fromJson(Cli.JSON.readTree(b), Cli.PUBLIC_FILE).architecture());
    } catch (IOException | IllegalArgumentException e) {
      log.warn("model_unreadable", o -> o.put("model_id", modelDir.getFileName().toString()));
    }
  }

  private ModelPackage modelPackage(String id) {
    return packages.computeIfAbsent(id, k -> Cli.loadPackage(modelsDir.resolve(k)));
  }

  // ---------------------------------------------------------------- decisions

  private static final Set<String> DECISION_FIELDS = Set.of("model_id", "features", "threshold", "direction", "subject",
      "policy", "chain_id", "nonce", "expires_in", "near_threshold");

  private void decide(Context ctx) {
    ObjectNode b = jsonObject(ctx, MAX_DECISION_BODY, DECISION_FIELDS);
    String id = requireModel(text(b, "model_id", true).get(),
        "Import one with POST /v1/models, list them with GET /v1/models.");
    JsonNode features = b.get("features");
    if (features == null || features.isNull()) {
      throw ApiError.badRequest("field 'features' is required", "An object {\"feature\": number, ...} or an array in model order.");
    }
    double threshold = number(b, "threshold", true).get();
    Policy.Direction dir = ProveCommand.direction(text(b, "direction", false).orElse("at-least"));
    DecisionProver.NearThreshold near;
    try {
      near = DecisionProver.NearThreshold.fromId(text(b, "near_threshold", false).orElse("flag"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("field 'near_threshold' must be \"flag\" or \"refuse\"");
    }
    long chain = integer(b, "chain_id").orElse(chainId);
    Optional<Long> expiresIn = integer(b, "expires_in");
    Optional<String> subject = text(b, "subject", false);
    if (subject.isPresent() && !subject.get().matches("0x[0-9a-fA-F]{40}")) {
      // The subject is public in the bundle: only an address or a pseudonymous id of that form.
      throw ApiError.badRequest("field 'subject' must be an address: 0x + 40 hex digits",
          "The subject is public in the proof bundle; map a borrower to a wallet address or a pseudonymous id, "
              + "never personal data such as a name or an e-mail address.");
    }
    io.veridict.model.Context context;
    try {
      long expiresAt = 0;
      if (expiresIn.isPresent()) {
        if (expiresIn.get() <= 0) {
          throw ApiError.badRequest("field 'expires_in' must be a positive number of seconds");
        }
        expiresAt = Math.addExact(Instant.now().getEpochSecond(), expiresIn.get());
      }
      context = new io.veridict.model.Context(chain, subject.orElse(ProveCommand.ZERO_ADDRESS),
          text(b, "policy", false).orElse("default"), text(b, "nonce", false).orElse(Cli.randomNonce()), expiresAt);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw ApiError.badRequest("bad decision context: " + e.getMessage());
    }
    ModelPackage pkg = modelPackage(id);
    Policy policy = ProveCommand.policy(threshold, dir, pkg.model().architecture());
    double[] x = Cli.features(features, pkg.model().architecture(), "features");
    async(ctx, 201, prove.submit(() -> {
      DecisionProver.Result r;
      try {
        r = ProveCommand.prove(proofOptions, pkg, x, policy, context, near);
      } catch (DecisionProver.NearThresholdException e) {
        throw ApiError.of(422, "near_threshold", e.getMessage(),
            "Nothing was proved or stored. Review the decision by hand, or send \"near_threshold\": \"flag\" to prove it "
                + "marked as not certified clear of the quantization error.");
      }
      ProofBundle bundle = r.bundle();
      byte[] bytes = bundle.toJsonBytes();
      String decisionId = hex(16);
      try {
        Cli.writeAtomically(pendingDir.resolve(decisionId + ".bundle.json"), bytes, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ctx.attribute("log_id", decisionId);
      log.info("decision_proved", l -> {
        l.put("decision_id", decisionId);
        l.put("model_id", id);
        l.put("prove_ms", Math.round(r.proveMillis()));
        l.put("proof_bytes", bundle.proofSizeBytes());
      });
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("decision_id", decisionId);
      o.put("decision", r.decision());
      o.put("model_id", id);
      o.put("model_commitment", bundle.statement().modelCommitment());
      o.put("input_commitment", bundle.statement().inputCommitment());
      o.put("air_id", bundle.statement().airId());
      o.put("prove_ms", Cli.round(r.proveMillis(), 2));
      o.put("proof_bytes", bundle.proofSizeBytes());
      o.put("bundle_bytes", bytes.length);
      o.put("guard_band", bundle.statement().guardBand());
      o.put("clear_of_quantization_error", bundle.statement().clearOfQuantizationError(bundle.model()));
      o.put("status", "pending_anchor");
      try {
        // The applicant's opening goes to the (authenticated) caller in this answer only: the
        // service never stores it, and GET /v1/decisions/{id} (no key) serves the bundle alone.
        o.set("opening", Cli.JSON.readTree(r.opening().toJsonBytes()));
        o.set("bundle", Cli.JSON.readTree(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return o;
    }));
  }

  private void getDecision(Context ctx) {
    String id = ctx.pathParam("decision_id");
    Path f = requireDecision(id);
    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("decision_id", id);
    Path parent = f.getParent();
    o.put("status", parent.equals(pendingDir) ? "pending_anchor" : batchState(parent).path("status").asText());
    if (!parent.equals(pendingDir)) {
      o.put("batch_id", parent.getFileName().toString());
    }
    try {
      o.set("bundle", Cli.JSON.readTree(Files.readAllBytes(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.json(o);
  }

  private Optional<Path> findBundle(String decisionId) {
    String name = decisionId + ".bundle.json";
    if (Files.exists(pendingDir.resolve(name))) {
      return Optional.of(pendingDir.resolve(name));
    }
    for (Path b : batchDirs()) {
      if (Files.exists(b.resolve(name))) {
        return Optional.of(b.resolve(name));
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- verify

  private void verifyBundle(Context ctx) {
    requireJson(ctx);
    byte[] bytes = body(ctx, ProofBundle.MAX_BYTES);
    if (!isJson(bytes)) {
      throw ApiError.of(400, "malformed_json", "the request body is not valid JSON; send the bundle file's contents");
    }
    String expect = expectModel(ctx);
    DecisionVerifier checker = verifierFor(ctx);
    async(ctx, 200, verify.submit(() -> {
      long t0 = System.nanoTime();
      try {
        // Parsed once, here on the bounded lane: a tree can be 30 times its bytes.
        ProofBundle b = DecisionVerifier.parse(bytes);
        DecisionStatement s = checker.verify(b, Optional.ofNullable(expect), Instant.now());
        double ms = (System.nanoTime() - t0) / 1e6;
        return VerifyCommand.validJson(s, b.model(), expect != null, ms);
      } catch (DecisionVerificationException e) {
        return rejection(e);
      }
    }));
  }

  /** The optional {@code ?expect_model=}: a model commitment, or a 400. */
  private static String expectModel(Context ctx) {
    String expect = ctx.queryParam("expect_model");
    if (expect != null) {
      try {
        Commitments.fromHex(expect);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("expect_model: " + e.getMessage());
      }
    }
    return expect;
  }

  /**
   * The verifier for this request: with the optional {@code ?require_clear_margin=true}, one that
   * also rejects a valid decision not certified clear of the quantization error ({@code
   * WITHIN_QUANTIZATION_ERROR}); a value other than {@code true} or {@code false} is a 400.
   */
  private DecisionVerifier verifierFor(Context ctx) {
    String v = ctx.queryParam("require_clear_margin");
    if (v == null || v.equals("false")) {
      return verifier;
    }
    if (v.equals("true")) {
      return verifier.requiringClearMargin();
    }
    throw ApiError.badRequest("require_clear_margin must be true or false");
  }

  /** A rejected bundle as a verdict (200), except a circuit this service will not build (422). */
  private ObjectNode rejection(DecisionVerificationException e) {
    if (e.reason() == DecisionVerificationException.Reason.CIRCUIT_NOT_ADMITTED) {
      // Not a verdict on the proof: this service will not build that circuit for anyone.
      throw ApiError.of(422, "circuit_not_admitted", e.getMessage().substring(e.getMessage().indexOf(": ") + 2),
          "The service verifies bundles of the models it holds, and others up to " + cfg.verifyMaxRows()
              + " trace rows; verify larger ones offline (the standalone verifier, or 'veridict verify').");
    }
    String reason = e.reason().name();
    String proofReason = e.proofReason().map(Enum::name).orElse(null);
    return VerifyCommand.rejectedJson(reason, proofReason, VerifyCommand.rejectionMessage(reason, proofReason, e.getMessage()));
  }

  /**
   * POST /v1/verify/opening: {@code {"bundle": ..., "opening": ...}}. Verifies the bundle as POST
   * /v1/verify does, then checks that the applicant's input opening opens its input commitment. The
   * opening is the applicant's data: it is used for this answer only, never stored or logged.
   */
  private void verifyOpening(Context ctx) {
    requireJson(ctx);
    byte[] bytes = body(ctx, ProofBundle.MAX_BYTES + InputOpening.MAX_BYTES);
    if (!isJson(bytes)) {
      throw ApiError.of(400, "malformed_json", "the request body is not valid JSON; send {\"bundle\": ..., \"opening\": ...}");
    }
    String expect = expectModel(ctx);
    DecisionVerifier checker = verifierFor(ctx);
    async(ctx, 200, verify.submit(() -> {
      long t0 = System.nanoTime();
      JsonNode root;
      try {
        root = Cli.STRICT_JSON.readTree(bytes);
      } catch (IOException e) {
        throw ApiError.of(400, "malformed_json", "the request body is not valid JSON");
      }
      if (!(root instanceof ObjectNode o) || !o.has("bundle") || !o.has("opening") || o.size() != 2
          || !o.get("bundle").isObject() || !o.get("opening").isObject()) {
        throw ApiError.badRequest("the body must be {\"bundle\": <bundle>, \"opening\": <opening>} and nothing else");
      }
      InputOpening opening;
      byte[] bundleBytes;
      try {
        opening = InputOpening.fromJsonBytes(Cli.JSON.writeValueAsBytes(o.get("opening")));
        bundleBytes = Cli.JSON.writeValueAsBytes(o.get("bundle"));
      } catch (IllegalArgumentException | IOException e) {
        throw ApiError.badRequest("opening: " + Cli.firstLine(String.valueOf(e.getMessage())));
      }
      try {
        ProofBundle b = DecisionVerifier.parse(bundleBytes);
        DecisionStatement s = checker.verify(b, Optional.ofNullable(expect), Instant.now());
        opening.check(b);
        ObjectNode out = VerifyCommand.validJson(s, b.model(), expect != null, (System.nanoTime() - t0) / 1e6);
        out.put("opening_checked", true);
        return out;
      } catch (DecisionVerificationException e) {
        return rejection(e);
      }
    }));
  }

  // ---------------------------------------------------------------- anchors

  /**
   * Resumes unfinished batches, then moves every pending bundle into a new batch and anchors it.
   * Runs on the single-threaded admin lane, so batches never race each other.
   */
  private ObjectNode anchorPending() {
    ObjectNode o = Cli.JSON.createObjectNode();
    ArrayNode out = o.putArray("batches");
    for (Path b : unfinishedBatches()) {
      out.add(anchorBatch(b));
    }
    List<Path> pending;
    try (Stream<Path> s = Files.list(pendingDir)) {
      pending = s.filter(p -> p.getFileName().toString().endsWith(".bundle.json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!pending.isEmpty()) {
      Path batch = batchesDir.resolve(Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + hex(4));
      try {
        Files.createDirectories(batch);
        writeBatchState(batch, "ANCHORING", null);
        for (Path p : pending) {
          Files.move(p, batch.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.add(anchorBatch(batch));
    }
    boolean allFinal = true;
    boolean anyLedgerError = false;
    for (JsonNode b : out) {
      allFinal &= b.path("status").asText().equals("FINAL");
      anyLedgerError |= b.path("status").asText().equals("ANCHORING");
    }
    if (anyLedgerError) {
      throw new ApiError(502, "ledger_error", "anchoring did not complete: " + out.get(out.size() - 1).path("detail").asText()
          + "; the batch is kept and is resumed by the next POST /v1/anchors (nothing is sent twice)", 0, List.of());
    }
    if (!allFinal) {
      o.put("_status", 202);
    }
    return o;
  }

  private ObjectNode anchorBatch(Path batch) {
    String id = batch.getFileName().toString();
    ObjectNode o;
    Cli.Failure failed;
    try {
      Cli.Result r = AnchorCommand.anchor(ledger, List.of(batch), null, Optional.empty());
      failed = r.exit() == Cli.OK || r.exit() == Submissions.NOT_FINAL ? null
          : new Cli.Failure(r.exit(), r.json().path("detail").asText("the ledger did not take the anchor"));
      if (failed == null) {
        o = r.json();
        String status = r.exit() == Cli.OK ? "FINAL" : "SUBMITTED";
        o.put("status", status);
        writeBatchState(batch, status, o);
      } else {
        o = null;
      }
    } catch (LedgerException e) {
      failed = LedgerFailures.of(e);
      o = null;
    } catch (Cli.Failure f) {
      failed = f;
      o = null;
    }
    if (failed != null && failed.code == Cli.REJECTED) {
      o = Cli.JSON.createObjectNode();
      o.put("status", "REJECTED");
      o.put("detail", failed.getMessage().replace(cfg.dataDir().toAbsolutePath() + "/", ""));
      writeBatchState(batch, "REJECTED", o);
    } else if (failed != null) {
      o = Cli.JSON.createObjectNode();
      o.put("status", "ANCHORING");
      o.put("detail", Cli.firstLine(failed.getMessage()));
    }
    o.put("batch_id", id);
    o.remove("manifest"); // an absolute server path; the manifest is in the batch
    String status = o.path("status").asText();
    int records = o.path("records").asInt();
    log.info("batch_anchor", l -> {
      l.put("batch_id", id);
      l.put("status", status);
      l.put("records", records);
    });
    return o;
  }

  private void resumeUnfinishedBatches() {
    List<Path> unfinished = unfinishedBatches();
    if (!unfinished.isEmpty()) {
      log.info("resume_batches", o -> o.put("batches", unfinished.size()));
      admin.submit(() -> {
        try {
          unfinished.forEach(this::anchorBatch);
        } catch (RuntimeException e) {
          log.warn("resume_failed", o -> o.put("exception", e.getClass().getName()));
        }
        return null;
      });
    }
  }

  /** Batches whose anchor was started but is not known final (or rejected): to be resumed. */
  private List<Path> unfinishedBatches() {
    return batchDirs().stream().filter(b -> {
      String st = batchState(b).path("status").asText();
      return st.equals("ANCHORING") || st.equals("SUBMITTED");
    }).toList();
  }

  private ObjectNode listBatches() {
    ObjectNode o = Cli.JSON.createObjectNode();
    ArrayNode a = o.putArray("batches");
    for (Path b : batchDirs()) {
      ObjectNode s = batchState(b).deepCopy();
      s.put("batch_id", b.getFileName().toString());
      a.add(s);
    }
    try (Stream<Path> s = Files.list(pendingDir)) {
      o.put("pending", s.filter(p -> p.getFileName().toString().endsWith(".bundle.json")).count());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return o;
  }

  private List<Path> batchDirs() {
    try (Stream<Path> s = Files.list(batchesDir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode batchState(Path batch) {
    try {
      JsonNode n = Cli.JSON.readTree(Files.readAllBytes(batch.resolve(BATCH_STATE)));
      return n instanceof ObjectNode o ? o : Cli.JSON.createObjectNode().put("status", "UNKNOWN");
    } catch (NoSuchFileException e) {
      return Cli.JSON.createObjectNode().put("status", "UNKNOWN");
    } catch (IOException e) {
      return Cli.JSON.createObjectNode().put("status", "UNKNOWN");
    }
  }

  private static void writeBatchState(Path batch, String status, ObjectNode result) {
    ObjectNode s = Cli.JSON.createObjectNode();
    s.put("status", status);
    s.put("updated", Instant.now().toString());
    if (result != null) {
      for (String f : List.of("root", "records", "tx_hash", "height", "ledger", "network_id", "meta_hash", "detail")) {
        if (result.has(f)) {
          s.set(f, result.get(f));
        }
      }
    }
    try {
      Cli.writeAtomically(batch.resolve(BATCH_STATE), Cli.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- eligibility, audit

  private void eligibility(Context ctx) {
    String subject = ctx.queryParam("subject");
    String policy = ctx.queryParam("policy");
    if (subject == null || policy == null) {
      throw ApiError.badRequest("query parameters 'subject' and 'policy' are required",
          "e.g. GET /v1/eligibility?subject=0x...&policy=credit-policy-v1");
    }
    async(ctx, 200, query.submit(() -> {
      try {
        return EligibilityCommand.Check.check(ledger, subject, policy).json();
      } catch (LedgerException e) {
        throw LedgerFailures.of(e);
      }
    }));
  }

  private void grant(Context ctx) {
    ObjectNode b = jsonObject(ctx, MAX_SMALL_BODY, Set.of("decision_id", "valid_for"));
    String id = text(b, "decision_id", true).get();
    String validFor = text(b, "valid_for", false).orElse("30d");
    EligibilityCommand.duration(validFor.isEmpty() ? "?" : validFor); // 400 now, not after a ledger round trip
    Path bundle = requireDecision(id);
    async(ctx, 201, admin.submit(() -> {
      Cli.Result r;
      try {
        r = EligibilityCommand.Grant.grant(ledger, bundle, validFor, Optional.empty());
      } catch (LedgerException e) {
        throw LedgerFailures.of(e);
      } catch (Cli.Failure f) {
        throw ApiError.fromExit(f.code, f.getMessage().replace(bundle.toString(), "decision " + id), f.hints);
      }
      if (r.exit() == Cli.OK) {
        return r.json();
      }
      if (r.exit() == Submissions.NOT_FINAL) {
        ObjectNode o = r.json();
        o.put("_status", 202);
        return o;
      }
      throw ApiError.fromExit(r.exit(), "the ledger did not take the grant: " + r.json().path("detail").asText());
    }));
  }

  /**
   * The audit needs no key and re-verifies every anchored proof, so its report is computed once per
   * state of the trail (the ledger's head and final heights, the batches and their states) and
   * served from that while nothing changed; proofs go through the service's circuit cache.
   */
  private void audit(Context ctx) {
    async(ctx, 200, query.submit(() -> {
      List<Path> dirs = batchDirs();
      String state;
      try (LedgerAnchor l = ledger.open()) {
        LedgerInfo i = l.info();
        state = i.networkId() + "@" + i.headHeight() + "/" + i.finalHeight() + ":" + contentDigest(dirs);
      } catch (LedgerException e) {
        throw LedgerFailures.of(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      AuditReport cached = auditCache;
      if (cached != null && cached.state().equals(state)) {
        return cached.report().deepCopy();
      }
      Cli.Result r;
      try {
        r = AuditCommand.audit(ledger, dirs.isEmpty() ? List.of(batchesDir) : dirs, null, verifier);
      } catch (LedgerException e) {
        throw LedgerFailures.of(e);
      }
      // Paths relative to the data directory: the server's file layout is not the client's business.
      String root = cfg.dataDir().toAbsolutePath() + "/";
      JsonNode report;
      try {
        report = Cli.JSON.readTree(r.json().toString().replace(root, ""));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      auditCache = new AuditReport(state, report);
      return report.deepCopy();
    }));
  }

  /**
   * SHA-256 over every file of the batches (names and contents, in order): any edit of a bundle or
   * a manifest, even one that keeps the file's time, makes the next audit run again. Hashing is
   * about a hundred times cheaper than verifying the proofs.
   */
  private static String contentDigest(List<Path> dirs) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path d : dirs) {
      List<Path> files;
      try (Stream<Path> s = Files.list(d)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        md.update((d.getFileName() + "/" + f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(f)) {
          byte[] buf = new byte[1 << 16];
          for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            md.update(buf, 0, n);
          }
        }
        md.update((byte) 0);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The last audit report and the state of the trail it was computed for. */
  private record AuditReport(String state, JsonNode report) {}

  // ---------------------------------------------------------------- shutdown

  /**
   * Graceful stop: readiness turns 503 and mutating calls are refused at once; queued and running
   * proofs and ledger writes are given {@code shutdownGrace} to finish (an anchor that does not
   * finish stays in its batch and the outbox, and is resumed at the next start); then Jetty stops.
   */
  @Override
  public void close() {
    if (draining) {
      return;
    }
    draining = true;
    log.info("draining", o -> o.put("grace_ms", cfg.shutdownGrace().toMillis()));
    long deadline = System.nanoTime() + cfg.shutdownGrace().toNanos();
    boolean clean = true;
    try {
      for (Lane l : List.of(prove, admin, verify, query)) {
        clean &= l.drain(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    for (Lane l : List.of(prove, admin, verify, query)) {
      l.shutdownNow();
    }
    app.stop();
    ledger.closeShared();
    boolean c = clean;
    log.info("stopped", o -> o.put("clean", c));
  }

  // ---------------------------------------------------------------- helpers

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void moveDirectory(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes a scratch directory tree, best effort. */
  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException e) {
      // Only scratch directories are deleted here (uploads under tmp/, a benchmark's temporary
      // directory): a leftover is harmless, and an import is not a model until it is moved.
    }
  }
}
