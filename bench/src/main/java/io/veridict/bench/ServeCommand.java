package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code veridict serve}: the HTTP API ({@link HttpApi}) until SIGINT/SIGTERM, then a graceful stop.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run the HTTP API a lending platform integrates with: import/register models, prove decisions, verify "
            + "bundles, anchor pending bundles, query eligibility and audit the ledger. JSON in and out; the "
            + "OpenAPI description is at GET /openapi.json; reference: docs/http-api.md.",
        "Mutating calls need the API key (Authorization: Bearer KEY), read from --api-key-file or "
            + "$VERIDICT_API_KEY (at least 32 characters). Logs are JSON lines on stderr with no personal data.",
        "SIGTERM/Ctrl-C stops gracefully: new work is refused, running proofs and anchors get --shutdown-grace to "
            + "finish; an unfinished anchor is kept and resumed at the next start."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"2:usage error (no API key, port in use, bad option)",
        "130/143:stopped by Ctrl-C / SIGTERM (128 + signal), after the graceful drain"},
    footer = {"", "Examples:",
        "  VERIDICT_API_KEY=$(openssl rand -hex 32) ./veridict serve --port 8080",
        "  ./veridict serve --api-key-file secrets/api-key --ledger evm --data-dir /var/lib/veridict"})
final class ServeCommand implements Callable<Integer> {
  static final String KEY_ENV = "VERIDICT_API_KEY";
  static final int MIN_KEY_CHARS = 32;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
  String host;

  @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--data-dir", defaultValue = ".veridict/serve", paramLabel = "DIR",
      description = "models, pending bundles and anchored batches (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--api-key-file", paramLabel = "FILE", description = "file holding the API key (default: $" + KEY_ENV + ")")
  Path apiKeyFile;

  @Option(names = "--insecure-no-auth",
      description = "INSECURE: accept mutating calls without an API key (local experiments only; refused unless --host is loopback)")
  boolean insecureNoAuth;

  @Option(names = "--prove-threads", paramLabel = "N", description = "proofs run at once (default: half the cores, at least 1)")
  Integer proveThreads;

  @Option(names = "--max-queue", defaultValue = "8", paramLabel = "N",
      description = "proofs waiting beyond those running; more get 503 + Retry-After (default: ${DEFAULT-VALUE})")
  int maxQueue;

  @Option(names = "--max-model-bytes", defaultValue = "16777216", paramLabel = "N",
      description = "largest POST /v1/models body (default: ${DEFAULT-VALUE})")
  long maxModelBytes;

  @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
      description = "how long a graceful stop waits for running work (default: ${DEFAULT-VALUE})")
  long shutdownGraceSeconds;

  @Option(names = "--profile", defaultValue = "standard", paramLabel = "NAME",
      description = "proof security profile: standard | high (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--verify-max-rows", paramLabel = "N", defaultValue = "16384",
      description = "POST /v1/verify (no key needed) builds a circuit of at most N trace rows for a model this "
          + "service does not hold; its own models are always verified (default: ${DEFAULT-VALUE})")
  int verifyMaxRows;

  @Mixin LedgerOptions ledger;

  @Option(names = "--json", description = "print the startup line as one JSON object (with the port)")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return run();
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    }
  }

  private int run() {
    HttpApi.Config cfg = config();
    HttpApi api;
    try {
      api = HttpApi.start(cfg, new ServiceLog(System.err));
    } catch (io.javalin.util.JavalinBindException e) {
      throw Cli.usage("cannot listen on " + host + ":" + port + ": " + Cli.firstLine(e.getMessage()),
          "Is another service on that port? Choose another with --port.");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      api.close();
      stopped.countDown();
    }, "veridict-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + api.port();
    if (json) {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("url", url);
      o.put("port", api.port());
      o.put("data_dir", cfg.dataDir().toAbsolutePath().toString());
      o.put("ledger", ledger.kind);
      o.put("auth", cfg.apiKeySha256().isPresent());
      Cli.printJson(spec, o);
    } else {
      Cli.print(spec, "veridict serve: listening on " + url + " (ledger " + ledger.kind + ", data "
          + cfg.dataDir().toAbsolutePath() + ")\n  API description: " + url + "/openapi.json; Ctrl-C stops gracefully"
          + (cfg.apiKeySha256().isEmpty() ? "\n  WARNING: --insecure-no-auth: mutating calls need no key" : ""));
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Cli.OK;
  }

  HttpApi.Config config() {
    if (port < 0 || port > 65535) {
      throw Cli.usage("--port must be 0..65535");
    }
    if (maxQueue < 0 || maxQueue > 10_000) {
      throw Cli.usage("--max-queue must be 0..10000");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = proveThreads != null ? proveThreads : Math.max(1, cores / 2);
    if (threads < 1 || threads > 256) {
      throw Cli.usage("--prove-threads must be 1..256");
    }
    if (maxModelBytes < 1024 || maxModelBytes > io.veridict.model.ModelPackage.MAX_BYTES) {
      throw Cli.usage("--max-model-bytes must be 1024.." + io.veridict.model.ModelPackage.MAX_BYTES);
    }
    if (shutdownGraceSeconds < 0 || shutdownGraceSeconds > 3600) {
      throw Cli.usage("--shutdown-grace must be 0..3600 seconds");
    }
    Cli.profile(profile); // a bad profile is a usage error now, not at the first proof
    if (verifyMaxRows < 512 || verifyMaxRows > (1 << 20)) {
      throw Cli.usage("--verify-max-rows must be 512..1048576");
    }
    Optional<byte[]> key = apiKey();
    return new HttpApi.Config(host, port, dataDir, key, threads, maxQueue, maxModelBytes,
        Duration.ofSeconds(shutdownGraceSeconds), profile, ledger, verifyMaxRows);
  }

  private Optional<byte[]> apiKey() {
    String k = null;
    String from = null;
    if (apiKeyFile != null) {
      k = new String(Cli.read(apiKeyFile, 4096, "API key file"), StandardCharsets.UTF_8).strip();
      from = apiKeyFile.toString();
    } else if (System.getenv(KEY_ENV) != null && !System.getenv(KEY_ENV).isBlank()) {
      k = System.getenv(KEY_ENV).strip();
      from = "$" + KEY_ENV;
    }
    if (k == null) {
      if (insecureNoAuth) {
        if (!isLoopback(host)) {
          throw Cli.usage("--insecure-no-auth is only allowed on a loopback --host (127.0.0.1, ::1, localhost)");
        }
        return Optional.empty();
      }
      throw Cli.usage("no API key: mutating calls must be authenticated",
          "Set $" + KEY_ENV + " or pass --api-key-file FILE (at least " + MIN_KEY_CHARS + " characters,",
          "e.g. from 'openssl rand -hex 32'); for a local experiment only: --insecure-no-auth.");
    }
    if (insecureNoAuth) {
      throw Cli.usage("--insecure-no-auth and an API key contradict each other; drop one");
    }
    if (k.length() < MIN_KEY_CHARS) {
      throw Cli.usage("the API key in " + from + " is too short (" + k.length() + " characters; at least "
          + MIN_KEY_CHARS + ")", "Make one with 'openssl rand -hex 32'.");
    }
    return Optional.of(HttpApi.sha256(k));
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost") || host.startsWith("127.");
  }
}
