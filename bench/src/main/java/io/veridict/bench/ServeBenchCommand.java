package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code veridict bench serve}: the HTTP service under load, measured over real loopback HTTP. Starts
 * {@code serve} in this JVM on a free port with an embedded ledger in a temporary directory,
 * imports a model over the API, then has client threads prove decisions for dataset rows (a client
 * told 503 waits {@code Retry-After} and retries, as the API asks), verifies bundles over HTTP,
 * anchors the batch, and fires a burst to show the bounded queue refusing rather than growing.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Load-test the HTTP service over loopback: proofs per second, latency percentiles, 503s.",
        "Defaults: the German Credit XGBoost model and dataset shipped with the repository."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every request answered as the API promises", "1:a 5xx other than 503, or a bundle did not verify",
        "2:usage error"},
    footer = {"", "Example:", "  ./veridict bench serve --requests 24 --concurrency 2 --burst 16 --json"})
final class ServeBenchCommand implements Callable<Integer> {
  @Option(names = "--model-file", paramLabel = "FILE", description = "model file (default: the shipped German Credit XGBoost)")
  Path modelFile;

  @Option(names = "--dataset", paramLabel = "CSV", description = "labelled CSV (default: German Credit beside the repository)")
  Path dataset;

  @Option(names = "--label", defaultValue = "Class", paramLabel = "COL", description = "label column (default: ${DEFAULT-VALUE})")
  String label;

  @Option(names = "--positive", defaultValue = "Good", paramLabel = "VAL", description = "positive label (default: ${DEFAULT-VALUE})")
  String positive;

  @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T", description = "policy threshold (default: ${DEFAULT-VALUE})")
  double threshold;

  @Option(names = "--requests", defaultValue = "24", paramLabel = "N", description = "proofs to request (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(names = "--concurrency", defaultValue = "2", paramLabel = "C", description = "client threads (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--prove-threads", paramLabel = "N", description = "server prove threads (default: half the cores, at least 1)")
  Integer proveThreads;

  @Option(names = "--max-queue", defaultValue = "8", paramLabel = "N", description = "server prove queue (default: ${DEFAULT-VALUE})")
  int maxQueue;

  @Option(names = "--burst", defaultValue = "16", paramLabel = "B",
      description = "then fire B simultaneous requests without retrying (0: skip) (default: ${DEFAULT-VALUE})")
  int burst;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String base;
  private String key;

  record Reply(int status, JsonNode json, long retryAfter, double ms) {}

  @Override
  public Integer call() {
    try {
      return run();
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    }
  }

  private int run() {
    if (requests < 1 || requests > 10_000 || concurrency < 1 || concurrency > 256 || burst < 0 || burst > 1024) {
      throw Cli.usage("--requests 1..10000, --concurrency 1..256, --burst 0..1024");
    }
    Path home = Path.of(System.getenv().getOrDefault("VERIDICT_HOME", ".")).toAbsolutePath().normalize();
    Path model = modelFile != null ? modelFile : DemoCommand.defaultModelFile(home);
    Path data = dataset != null ? dataset : DemoCommand.defaultDataset(home);
    byte[] modelBytes = Cli.read(model, io.veridict.model.ModelPackage.MAX_BYTES, "model file");
    String csv = new String(Cli.read(data, 64 << 20, "dataset"), java.nio.charset.StandardCharsets.UTF_8);
    Path tmp;
    try {
      tmp = Files.createTempDirectory("veridict-bench-serve");
    } catch (IOException e) {
      throw Cli.usage("cannot create a temporary directory: " + e.getMessage());
    }
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    key = HexFormat.of().formatHex(k);
    LedgerOptions ledger = new LedgerOptions();
    ledger.kind = "local";
    ledger.ledgerDir = tmp.resolve("ledger");
    ledger.timeoutSeconds = 60;
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = proveThreads != null ? proveThreads : Math.max(1, cores / 2);
    HeapSampler heap = HeapSampler.start();
    HttpApi api = HttpApi.start(new HttpApi.Config("127.0.0.1", 0, tmp.resolve("data"), Optional.of(HttpApi.sha256(key)),
        threads, maxQueue, 64L << 20, Duration.ofSeconds(60), "standard", ledger,
            HttpApi.DEFAULT_VERIFY_MAX_ROWS),
        new ServiceLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
    base = "http://127.0.0.1:" + api.port();
    try {
      return measure(modelBytes, model, csv, data, threads, cores, heap);
    } catch (IOException e) {
      throw Cli.usage("loopback HTTP failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Cli.usage("interrupted");
    } finally {
      api.close();
      HttpApi.deleteTree(tmp);
    }
  }

  private int measure(byte[] modelBytes, Path model, String csv, Path data, int threads, int cores, HeapSampler heap)
      throws IOException, InterruptedException {
    ObjectNode imp = Cli.JSON.createObjectNode();
    boolean jsonModel = modelBytes.length > 0 && modelBytes[0] == '{';
    if (jsonModel) {
      imp.set("model", Cli.JSON.readTree(modelBytes));
    } else {
      imp.put("model_base64", Base64.getEncoder().encodeToString(modelBytes));
    }
    imp.put("dataset_csv", csv);
    imp.put("label", label);
    imp.put("positive", positive);
    Reply im = post("/v1/models", imp.toString());
    if (im.status() != 201) {
      throw new Cli.Failure(Cli.INPUT, "import over HTTP failed: " + im.json());
    }
    String modelId = im.json().get("model_id").asText();
    List<String> names = new ArrayList<>();
    get("/v1/models/" + modelId).json().path("architecture").path("features").forEach(n -> names.add(n.asText()));
    double[][] rows = Dataset.read(data, label, positive, names).features();

    // Warm-up (JIT): two proofs, not counted.
    for (int i = 0; i < 2; i++) {
      post("/v1/decisions", decision(modelId, rows[i % rows.length], i));
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Double> serverMs = Collections.synchronizedList(new ArrayList<>());
    List<String> bundles = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      fs.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < requests) {
          String body = decision(modelId, rows[(i + 2) % rows.length], i + 2);
          while (true) {
            Reply r = post("/v1/decisions", body);
            if (r.status() == 503) {
              busy.incrementAndGet();
              Thread.sleep(1000 * Math.max(1, r.retryAfter()));
              continue;
            }
            if (r.status() == 201) {
              latencies.add(r.ms());
              serverMs.add(r.json().get("prove_ms").asDouble());
              if (bundles.size() < 10) {
                bundles.add(r.json().get("bundle").toString());
              }
            } else {
              errors.incrementAndGet();
            }
            break;
          }
        }
        return null;
      }));
    }
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        pool.shutdownNow();
        throw new IOException(e.getCause());
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();

    List<Double> verifyMs = new ArrayList<>();
    int rejected = 0;
    for (String b : bundles) {
      Reply v = post("/v1/verify", b);
      verifyMs.add(v.ms());
      rejected += v.json().path("verified").asBoolean() ? 0 : 1;
    }
    long a0 = System.nanoTime();
    Reply anchor = post("/v1/anchors", "");
    double anchorMs = (System.nanoTime() - a0) / 1e6;

    int burstOk = 0;
    int burstBusy = 0;
    int burstOther = 0;
    if (burst > 0) {
      ExecutorService bp = Executors.newFixedThreadPool(burst);
      List<Future<Reply>> bf = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        String body = decision(modelId, rows[i % rows.length], 100_000 + i);
        bf.add(bp.submit(() -> post("/v1/decisions", body)));
      }
      for (Future<Reply> f : bf) {
        try {
          int s = f.get().status();
          if (s == 201) {
            burstOk++;
          } else if (s == 503) {
            burstBusy++;
          } else {
            burstOther++;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          burstOther++;
        }
      }
      bp.shutdown();
    }
    long peak = heap.stop();

    ObjectNode o = Cli.JSON.createObjectNode();
    o.put("model", model.getFileName().toString());
    o.put("family", im.json().path("family").asText());
    o.put("trace_rows", im.json().path("trace_rows").asInt());
    o.put("requests", requests);
    o.put("concurrency", concurrency);
    o.put("prove_threads", threads);
    o.put("max_queue", maxQueue);
    o.put("ok", latencies.size());
    o.put("errors", errors.get());
    o.put("busy_retries", busy.get());
    o.put("wall_s", Cli.round(wall, 2));
    o.put("throughput_per_s", Cli.round(latencies.size() / wall, 3));
    ObjectNode lat = o.putObject("latency_ms");
    lat.put("p50", Cli.round(pct(latencies, 50), 1));
    lat.put("p95", Cli.round(pct(latencies, 95), 1));
    lat.put("max", Cli.round(pct(latencies, 100), 1));
    o.put("server_prove_ms_p50", Cli.round(pct(serverMs, 50), 1));
    o.put("verify_http_ms_p50", Cli.round(pct(verifyMs, 50), 1));
    o.put("verify_rejected", rejected);
    o.put("anchor_ms", Cli.round(anchorMs, 1));
    o.put("anchor_status", anchor.status());
    ArrayNode b = o.putArray("anchor_batches");
    anchor.json().path("batches").forEach(x -> b.add(x.path("records").asInt()));
    ObjectNode bo = o.putObject("burst");
    bo.put("sent", burst);
    bo.put("ok", burstOk);
    bo.put("busy_503", burstBusy);
    bo.put("other", burstOther);
    o.put("peak_heap_mb", Math.round(peak / 1e6));
    o.put("cores", cores);
    if (json) {
      Cli.printJson(spec, o);
    } else {
      Cli.print(spec, String.format(java.util.Locale.ROOT,
          "serve under load: %s (%s, %d trace rows), %d proofs, %d client threads, %d prove thread(s), queue %d%n"
              + "  throughput   %.2f proofs/s (%.1f s wall), %d retried after 503%n"
              + "  latency      p50 %.0f ms, p95 %.0f ms, max %.0f ms (server prove p50 %.0f ms)%n"
              + "  verify       p50 %.1f ms over HTTP%n"
              + "  anchor       %.0f ms for %s record(s)%n"
              + "  burst        %d sent at once: %d proved, %d refused with 503, %d other%n"
              + "  peak heap    %d MB; %d cores",
          o.get("model").asText(), o.get("family").asText(), o.get("trace_rows").asInt(), requests, concurrency, threads,
          maxQueue, latencies.size() / wall, wall, busy.get(), pct(latencies, 50), pct(latencies, 95),
          pct(latencies, 100), pct(serverMs, 50), pct(verifyMs, 50), anchorMs, b, burst, burstOk, burstBusy, burstOther,
          Math.round(peak / 1e6), cores));
    }
    return errors.get() == 0 && rejected == 0 && burstOther == 0 && anchor.status() == 200 ? Cli.OK : Cli.REJECTED;
  }

  private String decision(String modelId, double[] x, int i) {
    ObjectNode d = Cli.JSON.createObjectNode();
    d.put("model_id", modelId);
    ArrayNode f = d.putArray("features");
    for (double v : x) {
      f.add(v);
    }
    d.put("threshold", threshold);
    d.put("subject", String.format("0x%040x", i + 1));
    d.put("policy", "bench-policy");
    return d.toString();
  }

  private Reply post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(b.timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - t0) / 1e6;
    JsonNode j = r.body().isEmpty() ? Cli.JSON.createObjectNode() : Cli.JSON.readTree(r.body());
    long retry = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L);
    return new Reply(r.statusCode(), j, retry, ms);
  }

  private static double pct(List<Double> xs, int p) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, i)));
  }
}
