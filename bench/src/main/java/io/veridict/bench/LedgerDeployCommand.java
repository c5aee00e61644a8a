package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.chain.evm.EvmContracts;
import io.veridict.chain.evm.EvmDeployer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code veridict ledger deploy}: deploys the Veridict contracts to an EVM node that is already
 * running (a testnet, a chain the operator runs, the compose stack's anvil) and writes the same
 * ledger configuration {@code ledger start-dev} writes, so {@code --ledger evm --ledger-config FILE}
 * works on it. Unlike {@code start-dev} it never starts a node and never writes a key: the
 * configuration records where the key file is (when {@code --key-file} was given), not the key.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Deploy ModelRegistry, ProofAnchor, EligibilityGate and an example LendingPool to an EVM node that is "
            + "already running, and write the configuration for '--ledger evm --ledger-config FILE' to --out.",
        "The deploying key (--key-file FILE, else $" + LedgerOptions.KEY_ENV + ") becomes the contracts' admin and "
            + "holds every role; it must be funded. The configuration records the key file's path, never the key.",
        "Before sending anything the node's chain id must equal --chain-id and the account must hold a balance."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:deployed; the configuration was written", "2:usage error, bad key, --out exists without --force",
        "5:ledger error: node unreachable, wrong chain id, unfunded key, a deployment reverted"},
    footer = {"", "Example:",
        "  ./veridict ledger deploy --rpc http://127.0.0.1:8545 --chain-id 31337 \\",
        "      --key-file deployer.key --out ledger.json --json",
        "  ./veridict ledger info --ledger evm --ledger-config ledger.json"})
final class LedgerDeployCommand implements Callable<Integer> {
  @Option(names = "--rpc", paramLabel = "URL", required = true,
      description = "the node's JSON-RPC URL (http or https)")
  URI rpc;

  @Option(names = "--chain-id", paramLabel = "N", required = true,
      description = "the chain id the node must have (checked before anything is sent)")
  long chainId;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "the deployer's hex private key (default: $" + LedgerOptions.KEY_ENV + "); never on the command line")
  Path keyFile;

  @Option(names = "--pool-policy", paramLabel = "POLICY", defaultValue = "credit-policy-v1",
      description = "the policy the example LendingPool requires (default: credit-policy-v1)")
  String poolPolicy;

  @Option(names = "--out", paramLabel = "FILE",
      description = "where to write the ledger configuration (default: .veridict/dev-ledger.json)")
  Path out;

  @Option(names = "--force", description = "replace an existing --out (its contracts stay on the chain, unreferenced)")
  boolean force;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return run();
    } catch (Cli.Failure f) {
      return Cli.report(spec, f);
    } catch (LedgerException e) {
      return Cli.report(spec, LedgerFailures.of(e));
    }
  }

  private int run() throws LedgerException {
    String scheme = rpc.getScheme() == null ? "" : rpc.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || rpc.getHost() == null) {
      throw Cli.usage("--rpc must be an http(s) URL such as http://127.0.0.1:8545, got '" + rpc + "'");
    }
    if (chainId < 1) {
      throw Cli.usage("--chain-id must be positive, got " + chainId);
    }
    Path config = out != null ? out : LedgerOptions.DEFAULT_CONFIG;
    // Refuse before deploying: contracts cost gas, and a configuration is their only record.
    Cli.checkWritable(config, force);
    byte[] key = key();
    String account = Credentials.create(HexFormat.of().formatHex(key)).getAddress();

    BigInteger balance = preflight(account);
    EvmContracts contracts;
    try {
      contracts = EvmDeployer.deploy(rpc, chainId, key, EvmDeployer.Options.of(ProofRecords.policyId(poolPolicy)));
    } catch (LedgerException e) {
      throw new LedgerException(e.reason(), "deploying to " + rpc + " failed (no configuration was written; "
          + "contracts deployed before the failure stay on the chain, unreferenced): " + strip(e), e);
    }

    Optional<Path> recordedKey = Optional.ofNullable(keyFile).map(k -> k.toAbsolutePath().normalize());
    LedgerOptions.DevLedgerConfig cfg = new LedgerOptions.DevLedgerConfig(rpc, chainId, contracts, recordedKey);
    ObjectNode o = cfg.toJson();
    // DevLedgerConfig.read resolves key_file against the configuration's directory: a key file
    // beside (or below) the configuration is recorded relative to it, like start-dev's dev-key,
    // any other by its absolute path.
    recordedKey.ifPresent(k -> o.put("key_file", keyFileEntry(config, k)));
    o.put("pool_policy", poolPolicy);
    o.put("pool_policy_id", ProofRecords.hex(ProofRecords.policyId(poolPolicy)));
    o.put("deployer", account);
    try {
      Cli.writeAtomically(config, Cli.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o), false);
    } catch (IOException e) {
      throw new Cli.Failure(LedgerFailures.LEDGER, "the contracts were deployed but " + config + " could not be written: "
          + e.getMessage(), "Their addresses: " + cfg.toJson().get("contracts"));
    }
    if (json) {
      ObjectNode r = o.deepCopy();
      r.put("config", config.toString());
      r.put("deployer_balance_wei", balance.toString());
      Cli.printJson(spec, r);
    } else {
      Cli.print(spec, String.join("\n",
          "deployed to " + rpc + " (chain id " + chainId + ") from " + account,
          "  ModelRegistry    " + contracts.modelRegistry(),
          "  ProofAnchor      " + contracts.proofAnchor(),
          "  EligibilityGate  " + contracts.eligibilityGate(),
          "  LendingPool      " + contracts.lendingPool().orElse("-") + " (requires policy '" + poolPolicy + "')",
          "  from block       " + contracts.deployBlock(),
          "configuration: " + config + "  (use --ledger evm --ledger-config " + config + ")",
          "signing key:   " + recordedKey.map(Path::toString).orElse("$" + LedgerOptions.KEY_ENV
              + " (not recorded: set it, or pass --key-file, for the ledger commands)")));
    }
    return Cli.OK;
  }

  /** The deployer key: --key-file, else $VERIDICT_LEDGER_KEY; never echoed. */
  private byte[] key() {
    String env = System.getenv(LedgerOptions.KEY_ENV);
    if (keyFile == null && (env == null || env.isBlank())) {
      throw Cli.usage("ledger deploy needs the deployer's key",
          "Put the hex private key in a file (mode 600) and pass --key-file FILE, or set $" + LedgerOptions.KEY_ENV + ".");
    }
    LedgerOptions k = new LedgerOptions();
    k.kind = "evm";
    k.keyFile = keyFile;
    return k.key(Optional.empty());
  }

  /**
   * Checks the node before sending anything: it answers, it is chain {@code --chain-id}, and the
   * deploying account holds a balance. Returns the balance in wei.
   */
  private BigInteger preflight(String account) throws LedgerException {
    Web3j web3j = Web3j.build(new HttpService(rpc.toString()));
    try {
      long actual = web3j.ethChainId().send().getChainId().longValueExact();
      if (actual != chainId) {
        throw new LedgerException(Reason.WRONG_CHAIN,
            "the node at " + rpc + " is chain " + actual + ", not --chain-id " + chainId + "; nothing was sent");
      }
      BigInteger balance = web3j.ethGetBalance(account, DefaultBlockParameterName.LATEST).send().getBalance();
      if (balance.signum() == 0) {
        throw new LedgerException(Reason.INSUFFICIENT_FUNDS,
            "the deploying account " + account + " holds 0 wei on chain " + chainId
                + "; deploying four contracts needs gas; nothing was sent");
      }
      return balance;
    } catch (LedgerException e) {
      throw e;
    } catch (IOException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String why = root instanceof ConnectException ? "connection refused" : String.valueOf(root.getMessage());
      throw new LedgerException(Reason.UNREACHABLE, "cannot reach the node at " + rpc + " (" + why + ")", e);
    } catch (RuntimeException e) {
      // web3j reports a JSON-RPC error or a non-JSON answer as an unchecked exception.
      throw new LedgerException(Reason.BAD_RESPONSE,
          "the node at " + rpc + " did not answer eth_chainId/eth_getBalance: " + Cli.firstLine(e.getMessage()), e);
    } finally {
      web3j.shutdown();
    }
  }

  static String keyFileEntry(Path config, Path key) {
    Path dir = config.toAbsolutePath().normalize().getParent();
    return key.startsWith(dir) ? dir.relativize(key).toString() : key.toString();
  }

  private static String strip(LedgerException e) {
    String m = String.valueOf(e.getMessage());
    String prefix = e.reason() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
