package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerInfo;
import io.veridict.chain.evm.EvmContracts;
import io.veridict.chain.evm.EvmDeployer;
import io.veridict.contracts.DevNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code veridict ledger start-dev | stop-dev | deploy | info}. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Start a local EVM dev ledger, deploy the contracts to a running EVM node, or describe a ledger.",
    subcommands = {LedgerCommand.StartDev.class, LedgerCommand.StopDev.class, LedgerDeployCommand.class,
        LedgerCommand.Info.class},
    footer = {"", "Examples:",
        "  ./veridict ledger start-dev --detach",
        "  ./veridict ledger deploy --rpc http://127.0.0.1:8545 --chain-id 31337 \\",
        "      --key-file deployer.key --out ledger.json",
        "  ./veridict ledger info --ledger evm",
        "  ./veridict ledger stop-dev"})
final class LedgerCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the pinned anvil is: under the repository's {@code contracts/node_modules}. */
  static Path anvil() {
    // The launcher exports VERIDICT_HOME (the repository); tests pass the directory as a property.
    String prop = System.getProperty("veridict.nodeModules");
    String home = System.getenv("VERIDICT_HOME");
    Path nm = prop != null ? Path.of(prop)
        : Path.of(home != null ? home : ".").resolve("contracts").resolve("node_modules");
    try {
      return DevNode.findAnvil(nm);
    } catch (IOException e) {
      throw new Cli.Failure(Cli.USAGE, e.getMessage(),
          "The launcher installs it on first use of 'ledger start-dev'; or run: (cd contracts && npm ci --ignore-scripts)");
    }
  }

  @Command(
      name = "start-dev",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
          "Start a local anvil (the pinned npm @foundry-rs/anvil) on loopback, deploy ModelRegistry, ProofAnchor, "
              + "EligibilityGate and an example LendingPool, and write the addresses to --out for '--ledger evm'.",
          "The deployer (anvil's test account #0) is the gate's default admin and pauser only; the signing key "
              + "written beside --out (account #4) is the service's operator key: registrar, anchorer, and the "
              + "gate's verifier and policy admin. Both keys are public, so this ledger is for development only. "
              + "Without --detach the node runs until Ctrl-C."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:started (and, without --detach, stopped by Ctrl-C)", "2:usage error, anvil missing",
          "5:the node or a deployment failed"},
      footer = {"", "Example:", "  ./veridict ledger start-dev --detach --json"})
  static final class StartDev implements Callable<Integer> {
    /** The anvil test account whose key start-dev writes as the CLI's signing key. */
    static final int OPERATOR = 4;

    @Option(names = "--port", paramLabel = "N", description = "loopback port (default: a free one)")
    Integer port;

    @Option(names = "--chain-id", paramLabel = "N", defaultValue = "31337", description = "chain id (default: 31337)")
    long chainId;

    @Option(names = "--state", paramLabel = "FILE",
        description = "anvil state file: loaded at start, written at a graceful stop")
    Path state;

    @Option(names = "--pool-policy", paramLabel = "POLICY", defaultValue = "credit-policy-v1",
        description = "the policy the example LendingPool requires (default: credit-policy-v1)")
    String poolPolicy;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the ledger configuration "
        + "(default: .veridict/dev-ledger.json)")
    Path out;

    @Option(names = "--detach", description = "leave the node running in the background and exit")
    boolean detach;

    @Option(names = "--json", description = "print one JSON object instead of text")
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
      Path config = out != null ? out : LedgerOptions.DEFAULT_CONFIG;
      Path anvil = anvil();
      DevNode.Options opts = DevNode.Options.defaults().withChainId(chainId);
      if (state != null) {
        opts = opts.withStateFile(state.toAbsolutePath());
      }
      DevNode node;
      try {
        node = port != null ? DevNode.start(anvil, opts, port) : DevNode.start(anvil, opts);
      } catch (IOException e) {
        throw new Cli.Failure(5, "anvil did not start: " + Cli.firstLine(e.getMessage()));
      }
      try {
        byte[] key = HexFormat.of().parseHex(DevNode.DEV_KEYS.get(0).substring(2));
        String operator = org.web3j.crypto.Credentials.create(DevNode.DEV_KEYS.get(OPERATOR)).getAddress();
        // separate keys: the admin (account #0) manages roles only; the operator signs every write
        EvmContracts contracts = EvmDeployer.deploy(URI.create(node.rpcUrl()), chainId, key,
            new EvmDeployer.Options(ProofRecords.policyId(poolPolicy), java.math.BigInteger.TEN.pow(18),
                java.util.List.of(operator)));
        Path dir = config.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("dev-key");
        Cli.writeAtomically(keyFile, (DevNode.DEV_KEYS.get(OPERATOR) + "\n").getBytes(StandardCharsets.US_ASCII), true);
        LedgerOptions.DevLedgerConfig cfg = new LedgerOptions.DevLedgerConfig(
            URI.create(node.rpcUrl()), chainId, contracts, Optional.of(keyFile));
        ObjectNode o = cfg.toJson();
        o.put("pid", node.pid());
        o.put("pool_policy", poolPolicy);
        o.put("pool_policy_id", ProofRecords.hex(ProofRecords.policyId(poolPolicy)));
        Cli.writeAtomically(config, Cli.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o), false);
        if (json) {
          o.put("config", config.toString());
          o.put("detached", detach);
          Cli.printJson(spec, o);
        } else {
          Cli.print(spec, String.join("\n",
              "dev ledger: anvil " + node.rpcUrl() + " (chain id " + chainId + ", pid " + node.pid() + ")",
              "  ModelRegistry    " + contracts.modelRegistry(),
              "  ProofAnchor      " + contracts.proofAnchor(),
              "  EligibilityGate  " + contracts.eligibilityGate(),
              "  LendingPool      " + contracts.lendingPool().orElse("-") + " (requires policy '" + poolPolicy + "')",
              "configuration: " + config + "  (use --ledger evm)",
              "signing key:   " + keyFile + "  (operator " + operator + ", anvil's PUBLIC test key #4: development only;",
              "               gate admin " + org.web3j.crypto.Credentials.create(DevNode.DEV_KEYS.get(0)).getAddress()
                  + ", key #0)",
              detach ? "running in the background; stop it with './veridict ledger stop-dev'"
                  : "running; press Ctrl-C to stop"));
        }
      } catch (LedgerException e) {
        node.close();
        throw new Cli.Failure(5, "deploying the contracts failed: " + e.getMessage());
      } catch (IOException e) {
        node.close();
        throw new Cli.Failure(5, "cannot write " + config + ": " + e.getMessage());
      }
      if (detach) {
        return Cli.OK;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        node.close(); // graceful: anvil writes --state
        stopped.countDown();
      }));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Cli.OK;
    }
  }

  @Command(
      name = "stop-dev",
      mixinStandardHelpOptions = true,
      description = "Stop the dev node a detached 'ledger start-dev' left running (graceful: a --state file is written).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:stopped, or no dev node was running", "2:unreadable configuration", "5:the node did not stop"},
      footer = {"", "Example:", "  ./veridict ledger stop-dev"})
  static final class StopDev implements Callable<Integer> {
    @Option(names = "--ledger-config", paramLabel = "FILE", description = "default: .veridict/dev-ledger.json")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        Path f = config != null ? config : LedgerOptions.DEFAULT_CONFIG;
        long pid = Cli.JSON.readTree(Cli.read(f, 1 << 16, "ledger configuration")).path("pid").asLong(-1);
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (pid <= 0 || p.isEmpty() || !p.get().info().command().orElse("").contains("anvil")) {
          Cli.print(spec, "no dev node running (pid " + pid + " from " + f + ")");
          return Cli.OK;
        }
        p.get().destroy();
        p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        Cli.print(spec, "stopped anvil (pid " + pid + ")");
        return Cli.OK;
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (Exception e) {
        return Cli.report(spec, new Cli.Failure(5, "could not stop the dev node: " + e));
      }
    }
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Describe a ledger: kind, network id, signing account, head and final heights.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:described", "2:usage error (configuration, key)", "5:the ledger cannot be read"},
      footer = {"", "Example:", "  ./veridict ledger info --ledger evm --json"})
  static final class Info implements Callable<Integer> {
    @Mixin LedgerOptions ledger;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (LedgerAnchor l = ledger.open()) {
        LedgerInfo i = l.info();
        ObjectNode o = Cli.JSON.createObjectNode();
        o.put("kind", i.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("network_id", i.networkId());
        o.put("account", i.account());
        o.put("head_height", i.headHeight());
        o.put("final_height", i.finalHeight());
        if (json) {
          Cli.printJson(spec, o);
        } else {
          Cli.print(spec, i.kind() + " ledger " + i.networkId() + ", account " + i.account() + ", head " + i.headHeight()
              + ", final " + i.finalHeight());
        }
        return Cli.OK;
      } catch (Cli.Failure f) {
        return Cli.report(spec, f);
      } catch (LedgerException e) {
        return Cli.report(spec, LedgerFailures.of(e));
      }
    }
  }
}
