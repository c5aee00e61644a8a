package io.veridict.contracts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local anvil dev node (from the pinned npm package {@code @foundry-rs/anvil}) on a free loopback
 * port: for the contract and adapter tests and for {@code veridict ledger start-dev}.
 *
 * <p>{@link #start} returns once the node answers {@code eth_chainId}. {@link #close} stops it
 * gracefully (SIGTERM, so a node started with a state file writes it); {@link #kill} stops it
 * abruptly, like a crash. The node's accounts are anvil's well-known test accounts ({@link
 * #DEV_KEYS}): never use them on a real network.
 */
public final class DevNode implements AutoCloseable {

  /**
   * Private keys of anvil's first five default accounts (the public test mnemonic "test test ...
   * junk"), each funded with 10,000 ether on a fresh node.
   */
  public static final List<String> DEV_KEYS =
      List.of(
          "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
          "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
          "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
          "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

  /** How to start the node. */
  public record Options(
      long chainId, Optional<Path> stateFile, boolean autoMine, long blockTimeSeconds) {
    public Options {
      if (chainId < 1) {
        throw new IllegalArgumentException("chainId must be positive, got " + chainId);
      }
      Objects.requireNonNull(stateFile, "stateFile");
      if (blockTimeSeconds < 0) {
        throw new IllegalArgumentException("blockTimeSeconds must be >= 0, got " + blockTimeSeconds);
      }
    }

    /** Chain id 31337, no state file, a block per transaction. */
    public static Options defaults() {
      return new Options(31337, Optional.empty(), true, 0);
    }

    /** The same options with another chain id. */
    public Options withChainId(long id) {
      return new Options(id, stateFile, autoMine, blockTimeSeconds);
    }

    /** The same options, loading and dumping state at {@code file} (anvil {@code --state}). */
    public Options withStateFile(Path file) {
      return new Options(chainId, Optional.of(file), autoMine, blockTimeSeconds);
    }

    /** The same options without automatic mining (blocks only on {@code evm_mine}). */
    public Options withoutAutoMine() {
      return new Options(chainId, stateFile, false, blockTimeSeconds);
    }
  }

  private final Process process;
  private final int port;
  private final Path log;

  private DevNode(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Finds the anvil executable: {@code $VERIDICT_ANVIL}, then {@code
   * nodeModules/@foundry-rs/anvil-<platform>/bin/anvil}, then {@code anvil} on the {@code PATH}.
   *
   * @throws IOException with instructions when none exists
   */
  public static Path findAnvil(Path nodeModules) throws IOException {
    String env = System.getenv("VERIDICT_ANVIL");
    if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
      return Path.of(env);
    }
    Path scope = nodeModules.resolve("@foundry-rs");
    if (Files.isDirectory(scope)) {
      try (Stream<Path> dirs = Files.list(scope)) {
        Optional<Path> bin =
            dirs.filter(d -> d.getFileName().toString().startsWith("anvil-"))
                .map(d -> d.resolve("bin").resolve("anvil"))
                .filter(Files::isExecutable)
                .findFirst();
        if (bin.isPresent()) {
          return bin.get();
        }
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "anvil");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IOException(
        "anvil not found: set VERIDICT_ANVIL, or install the pinned npm package with "
            + "`(cd contracts && npm ci --ignore-scripts)` (looked in "
            + scope
            + " and on the PATH)");
  }

  /** A free loopback TCP port (racy by nature; good enough for tests on one machine). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Starts anvil on a free loopback port and waits (up to 30 s) until it answers. */
  public static DevNode start(Path anvil, Options options) throws IOException {
    return start(anvil, options, freePort());
  }

  /** Starts anvil on {@code port} (e.g. to restart a killed node where clients expect it). */
  public static DevNode start(Path anvil, Options options, int port) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(anvil.toString());
    cmd.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
    cmd.addAll(List.of("--chain-id", Long.toString(options.chainId())));
    if (!options.autoMine()) {
      cmd.add("--no-mining");
    } else if (options.blockTimeSeconds() > 0) {
      cmd.addAll(List.of("--block-time", Long.toString(options.blockTimeSeconds())));
    }
    if (options.stateFile().isPresent()) {
      cmd.addAll(List.of("--state", options.stateFile().get().toString()));
    }
    Path log = Files.createTempFile("anvil-" + port + "-", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    DevNode node = new DevNode(p, port, log);
    try {
      node.awaitReady(Duration.ofSeconds(30));
    } catch (IOException e) {
      node.kill();
      throw e;
    }
    return node;
  }

  private void awaitReady(Duration timeout) throws IOException {
    HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(rpcUrl()))
            .timeout(Duration.ofSeconds(2))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "anvil exited with " + process.exitValue() + " before answering; log: " + tail());
      }
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"result\"")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for anvil", e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for anvil", e);
      }
    }
    throw new IOException("anvil did not answer within " + timeout + "; log: " + tail());
  }

  /** The JSON-RPC endpoint, {@code http://127.0.0.1:<port>}. */
  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The TCP port. */
  public int port() {
    return port;
  }

  /** The process id, for logs. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the node abruptly (SIGKILL): a crash. A state file is not written. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** Stops the node gracefully (SIGTERM); with a state file, anvil writes it before exiting. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    waitFor();
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file; nothing else to do
    }
  }

  private void waitFor() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    try {
      String s = Files.readString(log);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage().toLowerCase(Locale.ROOT) + ")";
    }
  }
}
