package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerException;
import io.veridict.chain.evm.EvmConfig;
import io.veridict.chain.evm.EvmContracts;
import io.veridict.chain.evm.EvmLedgerAnchor;
import io.veridict.chain.xrpl.XrplConfig;
import io.veridict.chain.xrpl.XrplLedgerAnchor;
import io.veridict.chain.xrpl.XrplSigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which ledger a command talks to, shared by {@code model register}, {@code anchor}, {@code
 * eligibility} and {@code audit}. Keys are read from a file or the environment, never from the
 * command line (where {@code ps} and shell history would show them).
 *
 * <ul>
 *   <li>{@code --ledger local} (default): the embedded hash-chained file ledger in {@code
 *       --ledger-dir} (default {@code .veridict/ledger}); its Ed25519 signing seed is {@code
 *       local.key} there, made with {@code SecureRandom} on first use (mode 600).
 *   <li>{@code --ledger evm}: an EVM node; {@code --ledger-config} (default {@code
 *       .veridict/dev-ledger.json}, written by {@code ledger start-dev}) gives the RPC URL, chain id
 *       and contract addresses; {@code --rpc} and {@code --chain-id} override them.
 *   <li>{@code --ledger xrpl}: an XRP Ledger node's JSON-RPC at {@code --rpc}.
 * </ul>
 */
final class LedgerOptions {
  static final String KEY_ENV = "VERIDICT_LEDGER_KEY";
  static final Path DEFAULT_DIR = Paths.get(".veridict");
  static final Path DEFAULT_CONFIG = DEFAULT_DIR.resolve("dev-ledger.json");

  @Option(names = "--ledger", paramLabel = "KIND", defaultValue = "local",
      description = "local (embedded file ledger, default), evm or xrpl")
  String kind;

  @Option(names = "--ledger-dir", paramLabel = "DIR",
      description = "the local ledger's directory (default: .veridict/ledger)")
  Path ledgerDir;

  @Option(names = "--ledger-config", paramLabel = "FILE",
      description = "EVM: RPC, chain id and contract addresses (default: .veridict/dev-ledger.json from 'ledger start-dev')")
  Path ledgerConfig;

  @Option(names = "--rpc", paramLabel = "URL", description = "the node's JSON-RPC URL (evm, xrpl)")
  URI rpc;

  @Option(names = "--chain-id", paramLabel = "N", description = "EVM chain id (must match the node)")
  Long chainId;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "signing key: a file holding the hex private key (evm) or seed (xrpl, local); "
          + "default: $" + KEY_ENV + ", else (evm) the key file 'ledger start-dev' wrote, else (local) the ledger's own")
  Path keyFile;

  @Option(names = "--confirmations", paramLabel = "N",
      description = "EVM: blocks a transaction needs before it is final (default: 1 on chain 31337, else 3)")
  Integer confirmations;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "how long to wait for finality (default: 60)")
  long timeoutSeconds;

  Duration timeout() {
    return Duration.ofSeconds(Math.max(1, timeoutSeconds));
  }

  Path localDir() {
    return ledgerDir != null ? ledgerDir : DEFAULT_DIR.resolve("ledger");
  }

  /** Where durable state (the anchor outbox) lives for this ledger. */
  Path stateDir() {
    return switch (kind) {
      case "local" -> localDir();
      // Beside the configuration it belongs to (so a test's or a project's config keeps its own).
      case "evm" -> (ledgerConfig != null ? ledgerConfig : DEFAULT_CONFIG).toAbsolutePath().getParent().resolve("evm");
      default -> DEFAULT_DIR.resolve(kind);
    };
  }

  /** The chain id a decision's context binds to on this ledger (0 where the ledger has none). */
  long contextChainId() {
    return switch (kind) {
      case "evm" -> chainId != null ? chainId : evmConfig().chainId();
      default -> 0;
    };
  }

  /** Set by {@link #sharing()}: every {@link #open()} hands out this one adapter. */
  private SharedLedger shared;

  /**
   * These options with one long-lived adapter shared by every {@link #open()} (for the HTTP
   * service; see {@link SharedLedger}), for the remote ledgers. The local ledger is opened per
   * call as before: its file lock is what lets the CLI and the service take turns on one ledger.
   */
  LedgerOptions sharing() {
    LedgerOptions c = new LedgerOptions();
    c.kind = kind;
    c.ledgerDir = ledgerDir;
    c.ledgerConfig = ledgerConfig;
    c.rpc = rpc;
    c.chainId = chainId;
    c.keyFile = keyFile;
    c.confirmations = confirmations;
    c.timeoutSeconds = timeoutSeconds;
    c.shared = kind.equals("local") ? null : new SharedLedger(this);
    return c;
  }

  /** Closes the adapter {@link #sharing()} opened, if any. */
  void closeShared() {
    if (shared != null) {
      shared.close();
    }
  }

  /** Opens the chosen ledger. Configuration problems are usage errors (exit 2). */
  LedgerAnchor open() throws LedgerException {
    return shared != null ? shared.handle() : openUnshared();
  }

  /** A new adapter, whatever {@link #sharing()} says. */
  LedgerAnchor openUnshared() throws LedgerException {
    return switch (kind) {
      case "local" -> LocalLedgers.open(localDir(), key(Optional.empty()));
      case "evm" -> openEvm();
      case "xrpl" -> openXrpl();
      default -> throw Cli.usage("--ledger must be local, evm or xrpl, got '" + kind + "'");
    };
  }

  private LedgerAnchor openEvm() throws LedgerException {
    DevLedgerConfig cfg = evmConfig();
    long chain = chainId != null ? chainId : cfg.chainId();
    URI url = rpc != null ? rpc : cfg.rpc();
    int conf = confirmations != null ? confirmations : (chain == 31337 ? 1 : 3);
    if (conf < 1) {
      throw Cli.usage("--confirmations must be at least 1");
    }
    EvmConfig c = EvmConfig.of(url, chain, cfg.contracts()).withConfirmations(conf)
        .withPollInterval(Duration.ofMillis(chain == 31337 ? 100 : 1000));
    return EvmLedgerAnchor.connect(c, key(cfg.keyFile()));
  }

  private LedgerAnchor openXrpl() throws LedgerException {
    URI url = requireRpc();
    String text = keyText(Optional.empty());
    XrplSigningKey key;
    if (text.startsWith("s")) {
      key = XrplSigningKey.fromSeed(text); // a base58 family seed: sEd... (Ed25519) or s... (secp256k1)
    } else {
      key = XrplSigningKey.secp256k1(parseHexKey(text, "the XRPL key"));
    }
    return XrplLedgerAnchor.connect(XrplConfig.of(url).withRequestTimeout(Duration.ofSeconds(15)), key);
  }

  DevLedgerConfig evmConfig() {
    Path f = ledgerConfig != null ? ledgerConfig : DEFAULT_CONFIG;
    if (!Files.exists(f)) {
      throw Cli.usage("no EVM ledger configuration at " + f,
          "Run './veridict ledger start-dev' to start a local node and deploy the contracts,",
          "or pass --ledger-config FILE with the rpc, chain_id and contract addresses.");
    }
    return DevLedgerConfig.read(f);
  }

  private URI requireRpc() {
    if (rpc == null) {
      throw Cli.usage("--ledger " + kind + " needs --rpc URL");
    }
    return rpc;
  }

  /** The signing key: --key-file, else $VERIDICT_LEDGER_KEY, else the fallback file. */
  byte[] key(Optional<Path> fallback) {
    if (keyFile == null && envKey() == null && fallback.isEmpty() && kind.equals("local")) {
      return LocalLedgers.ownKey(localDir());
    }
    return parseHexKey(keyText(fallback), keySource(fallback));
  }

  private static String envKey() {
    String v = System.getenv(KEY_ENV);
    return v == null || v.isBlank() ? null : v;
  }

  private String keySource(Optional<Path> fallback) {
    return keyFile != null ? keyFile.toString() : envKey() != null ? "$" + KEY_ENV
        : fallback.map(Path::toString).orElse("?");
  }

  /** The key text, never echoed in messages. */
  String keyText(Optional<Path> fallback) {
    if (keyFile != null) {
      return readKey(keyFile).strip();
    }
    if (envKey() != null) {
      return envKey().strip();
    }
    if (fallback.isPresent()) {
      return readKey(fallback.get()).strip();
    }
    throw Cli.usage("--ledger " + kind + " needs a signing key",
        "Put it in a file (mode 600) and pass --key-file FILE, or set $" + KEY_ENV + ".");
  }

  private static byte[] parseHexKey(String text, String from) {
    String hex = text.startsWith("0x") ? text.substring(2) : text;
    try {
      byte[] k = HexFormat.of().parseHex(hex);
      if (k.length != 32) {
        throw Cli.usage("the key in " + from + " is " + k.length + " bytes; a 32-byte hex key is expected");
      }
      return k;
    } catch (IllegalArgumentException e) {
      // Never echo the key material.
      throw Cli.usage("the key in " + from + " is not hex (expected 64 hex digits, optionally 0x-prefixed)");
    }
  }

  private static String readKey(Path f) {
    return new String(Cli.read(f, 4096, "key file"), StandardCharsets.UTF_8);
  }

  /** What {@code ledger start-dev} writes and {@code --ledger evm} reads. */
  record DevLedgerConfig(URI rpc, long chainId, EvmContracts contracts, Optional<Path> keyFile) {
    static DevLedgerConfig read(Path f) {
      JsonNode n;
      try {
        n = Cli.JSON.readTree(Cli.read(f, 1 << 16, "ledger configuration"));
      } catch (IOException e) {
        throw Cli.usage("ledger configuration " + f + " is not JSON: " + Cli.firstLine(e.getMessage()));
      }
      try {
        JsonNode c = n.path("contracts");
        EvmContracts contracts = new EvmContracts(
            c.path("model_registry").asText(), c.path("proof_anchor").asText(), c.path("eligibility_gate").asText(),
            c.hasNonNull("lending_pool") ? Optional.of(c.get("lending_pool").asText()) : Optional.empty(),
            c.path("deploy_block").asLong());
        Optional<Path> key = n.hasNonNull("key_file")
            ? Optional.of(f.toAbsolutePath().getParent().resolve(n.get("key_file").asText())) : Optional.empty();
        if (!n.path("rpc").isTextual() || !n.path("chain_id").canConvertToLong()) {
          throw new IllegalArgumentException("rpc (text) and chain_id (number) are required");
        }
        return new DevLedgerConfig(URI.create(n.get("rpc").asText()), n.get("chain_id").asLong(), contracts, key);
      } catch (IllegalArgumentException e) {
        throw Cli.usage("ledger configuration " + f + " is invalid: " + e.getMessage());
      }
    }

    ObjectNode toJson() {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("kind", "evm");
      o.put("rpc", rpc.toString());
      o.put("chain_id", chainId);
      ObjectNode c = o.putObject("contracts");
      c.put("model_registry", contracts.modelRegistry());
      c.put("proof_anchor", contracts.proofAnchor());
      c.put("eligibility_gate", contracts.eligibilityGate());
      contracts.lendingPool().ifPresent(p -> c.put("lending_pool", p));
      c.put("deploy_block", contracts.deployBlock());
      keyFile.ifPresent(k -> o.put("key_file", k.getFileName().toString()));
      return o;
    }
  }
}
