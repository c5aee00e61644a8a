package io.veridict.chain.evm;

import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.contracts.generated.EligibilityGate;
import io.veridict.contracts.generated.LendingPool;
import io.veridict.contracts.generated.ModelRegistry;
import io.veridict.contracts.generated.ProofAnchor;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys the Veridict contracts ({@code ModelRegistry}, {@code ProofAnchor}, {@code
 * EligibilityGate}, the example {@code LendingPool}) and grants roles: what {@code veridict ledger
 * start-dev} does on a fresh anvil. Every transaction is signed for the given chain id with
 * explicit gas limits.
 *
 * <p>Roles on the gate: the deploying key becomes its default admin (role management only,
 * transfers and renouncement delayed by {@link Options#adminDelaySeconds()}, OpenZeppelin {@code
 * AccessControlDefaultAdminRules}) and its pauser. With {@link Options#writers()} the first writer
 * is the gate's verifier and every writer gets the verifier and policy-admin roles (and the
 * registry's and anchor's writer roles); without writers the deployer holds them too, which is
 * one key for every role: acceptable on a dev chain only.
 */
public final class EvmDeployer {
  private static final BigInteger DEPLOY_GAS = BigInteger.valueOf(4_500_000);

  private EvmDeployer() {}

  /**
   * What to deploy besides the three core contracts.
   *
   * @param poolPolicyId the policy the example lending pool requires
   * @param poolMaxLoanWei the pool's largest single loan
   * @param writers accounts that get REGISTRAR_ROLE, ANCHORER_ROLE, VERIFIER_ROLE and
   *     POLICY_ADMIN_ROLE (the operator keys of the verifier service); may be empty (then the
   *     deployer holds them)
   * @param adminDelaySeconds delay of a transfer of the gate's default admin, 0..2^48-1
   */
  public record Options(Bytes32 poolPolicyId, BigInteger poolMaxLoanWei, List<String> writers,
      long adminDelaySeconds) {
    public Options {
      Objects.requireNonNull(poolPolicyId, "poolPolicyId");
      Objects.requireNonNull(poolMaxLoanWei, "poolMaxLoanWei");
      if (poolMaxLoanWei.signum() <= 0) {
        throw new IllegalArgumentException("poolMaxLoanWei must be positive, got " + poolMaxLoanWei);
      }
      writers = writers.stream().map(LedgerEntry::normaliseAddress).toList();
      if (adminDelaySeconds < 0 || adminDelaySeconds >= (1L << 48)) {
        throw new IllegalArgumentException("adminDelaySeconds must be a uint48, got " + adminDelaySeconds);
      }
    }

    /** As before the admin delay existed: one day. */
    public Options(Bytes32 poolPolicyId, BigInteger poolMaxLoanWei, List<String> writers) {
      this(poolPolicyId, poolMaxLoanWei, writers, DEFAULT_ADMIN_DELAY_SECONDS);
    }

    /** A pool for {@code policyId} lending up to 1 ether, no extra writers, a one-day admin delay. */
    public static Options of(Bytes32 policyId) {
      return new Options(policyId, BigInteger.TEN.pow(18), List.of());
    }
  }

  /** Default delay of a transfer of the gate's default admin: one day. */
  public static final long DEFAULT_ADMIN_DELAY_SECONDS = 86_400;

  /**
   * A policy's threshold rule as the gate stores it ({@code EligibilityGate.setPolicy}).
   *
   * @param direction 0 at-least, 1 at-most
   * @param thresholdBits IEEE-754 bits of the policy threshold
   * @param circuitThreshold the fixed-point threshold of the model's circuit
   * @param maxValiditySeconds the longest grant, 1..366 days
   */
  public record PolicyRule(Bytes32 modelCommitment, int direction, long thresholdBits, long circuitThreshold,
      long maxValiditySeconds) {
    public PolicyRule {
      Objects.requireNonNull(modelCommitment, "modelCommitment");
      if (direction != 0 && direction != 1) {
        throw new IllegalArgumentException("direction must be 0 (at-least) or 1 (at-most), got " + direction);
      }
      if (maxValiditySeconds < 1 || maxValiditySeconds > io.veridict.chain.EligibilityRules.MAX_VALIDITY_SECONDS) {
        throw new IllegalArgumentException("maxValiditySeconds must be 1.." + io.veridict.chain.EligibilityRules.MAX_VALIDITY_SECONDS
            + ", got " + maxValiditySeconds);
      }
    }
  }

  /**
   * Deploys the four contracts from {@code adminKey}'s account on the chain at {@code rpc}.
   *
   * @throws LedgerException {@code WRONG_CHAIN} if the node is another chain, {@code
   *     INSUFFICIENT_FUNDS}, {@code UNREACHABLE}, {@code REJECTED} (a deployment reverted)
   */
  public static EvmContracts deploy(URI rpc, long chainId, byte[] adminKey, Options options)
      throws LedgerException {
    Credentials admin = EvmLedgerAnchor.credentials(adminKey);
    Web3j web3j = Web3j.build(new HttpService(rpc.toString()));
    try {
      long actual = web3j.ethChainId().send().getChainId().longValueExact();
      if (actual != chainId) {
        throw new LedgerException(
            Reason.WRONG_CHAIN, "the node at " + io.veridict.chain.internal.Endpoints.redacted(rpc) + " is chain " + actual + ", not " + chainId);
      }
      RawTransactionManager tm =
          new RawTransactionManager(
              web3j, admin, chainId, new PollingTransactionReceiptProcessor(web3j, 100, 600));
      long firstBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact() + 1;
      StaticEIP1559GasProvider gas = gas(web3j, chainId);
      String a = admin.getAddress();
      ModelRegistry registry = ModelRegistry.deploy(web3j, tm, gas, a).send();
      ProofAnchor anchor = ProofAnchor.deploy(web3j, tm, gas, a).send();
      String verifier = options.writers().isEmpty() ? a : options.writers().get(0);
      EligibilityGate gate =
          EligibilityGate.deploy(web3j, tm, gas, a, BigInteger.valueOf(options.adminDelaySeconds()), a, verifier, a,
              registry.getContractAddress()).send();
      LendingPool pool =
          LendingPool.deploy(web3j, tm, gas, gate.getContractAddress(),
                  options.poolPolicyId().toByteArray(), options.poolMaxLoanWei())
              .send();
      for (String w : options.writers()) {
        ok(registry.grantRole(registry.REGISTRAR_ROLE().send(), w).send());
        ok(anchor.grantRole(anchor.ANCHORER_ROLE().send(), w).send());
        if (!w.equals(verifier)) {
          ok(gate.grantRole(gate.VERIFIER_ROLE().send(), w).send());
        }
        ok(gate.grantRole(gate.POLICY_ADMIN_ROLE().send(), w).send());
      }
      return new EvmContracts(
          registry.getContractAddress(), anchor.getContractAddress(), gate.getContractAddress(),
          Optional.of(pool.getContractAddress()), firstBlock);
    } catch (LedgerException e) {
      throw e;
    } catch (Exception e) {
      throw map("deploying the Veridict contracts", e);
    } finally {
      web3j.shutdown();
    }
  }

  /**
   * Binds {@code policyId} to the model version its proofs must use, <em>without</em> a threshold
   * rule ({@code EligibilityGate.setPolicyModel}): grants under the policy are refused until {@link
   * #setPolicy} gives the rule for this model. Needs the gate's policy-admin role.
   */
  public static void bindPolicy(URI rpc, long chainId, byte[] adminKey, EvmContracts contracts,
      Bytes32 policyId, Bytes32 modelCommitment) throws LedgerException {
    Credentials admin = EvmLedgerAnchor.credentials(adminKey);
    Web3j web3j = Web3j.build(new HttpService(rpc.toString()));
    try {
      RawTransactionManager tm =
          new RawTransactionManager(
              web3j, admin, chainId, new PollingTransactionReceiptProcessor(web3j, 100, 600));
      EligibilityGate gate =
          EligibilityGate.load(contracts.eligibilityGate(), web3j, tm, gas(web3j, chainId));
      ok(gate.setPolicyModel(policyId.toByteArray(), modelCommitment.toByteArray()).send());
    } catch (LedgerException e) {
      throw e;
    } catch (Exception e) {
      throw map("binding policy " + policyId, e);
    } finally {
      web3j.shutdown();
    }
  }

  /**
   * Sets what {@code policyId} accepts ({@code EligibilityGate.setPolicy}): statements for the
   * rule's model (active in the registry) under exactly its threshold rule, each grant valid for at
   * most its maximum. Needs the gate's policy-admin role.
   *
   * @throws LedgerException {@code REJECTED} naming the gate's error (e.g. {@code ModelNotActive},
   *     {@code AccessControlUnauthorizedAccount}) when it would revert
   */
  public static void setPolicy(URI rpc, long chainId, byte[] adminKey, EvmContracts contracts, Bytes32 policyId,
      PolicyRule rule) throws LedgerException {
    Credentials admin = EvmLedgerAnchor.credentials(adminKey);
    String data = VeridictAbi.setPolicy(policyId, rule.modelCommitment(), rule.direction(), rule.thresholdBits(),
        rule.circuitThreshold(), rule.maxValiditySeconds());
    Web3j web3j = Web3j.build(new HttpService(rpc.toString()));
    try {
      org.web3j.protocol.core.methods.response.EthCall sim = web3j.ethCall(
          org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(
              admin.getAddress(), contracts.eligibilityGate(), data),
          org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send();
      if (sim.hasError() || sim.isReverted()) {
        Object raw = sim.getError() == null ? null : sim.getError().getData();
        String revert = raw == null ? "" : raw.toString().replace("\"", "");
        throw new LedgerException(Reason.REJECTED, "EligibilityGate.setPolicy would revert: "
            + VeridictAbi.errorName(revert).orElse(sim.getError() == null ? "reverted" : sim.getError().getMessage()));
      }
      RawTransactionManager tm =
          new RawTransactionManager(
              web3j, admin, chainId, new PollingTransactionReceiptProcessor(web3j, 100, 600));
      EligibilityGate gate =
          EligibilityGate.load(contracts.eligibilityGate(), web3j, tm, gas(web3j, chainId));
      ok(gate.setPolicy(policyId.toByteArray(), rule.modelCommitment().toByteArray(),
          BigInteger.valueOf(rule.direction()), new BigInteger(Long.toUnsignedString(rule.thresholdBits())),
          BigInteger.valueOf(rule.circuitThreshold()), BigInteger.valueOf(rule.maxValiditySeconds())).send());
    } catch (LedgerException e) {
      throw e;
    } catch (Exception e) {
      throw map("setting policy " + policyId, e);
    } finally {
      web3j.shutdown();
    }
  }

  private static StaticEIP1559GasProvider gas(Web3j web3j, long chainId) throws IOException {
    BigInteger base =
        Optional.ofNullable(
                web3j.ethGetBlockByNumber(
                        org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
                    .send()
                    .getBlock()
                    .getBaseFeePerGas())
            .orElse(BigInteger.ZERO);
    BigInteger tip = EvmConfig.gwei(1);
    return new StaticEIP1559GasProvider(chainId, base.shiftLeft(1).add(tip), tip, DEPLOY_GAS);
  }

  private static void ok(TransactionReceipt r) throws LedgerException {
    if (!r.isStatusOK()) {
      throw new LedgerException(Reason.REJECTED, "transaction " + r.getTransactionHash() + " reverted");
    }
  }

  private static LedgerException map(String what, Exception e) {
    String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof ConnectException) {
      return new LedgerException(Reason.UNREACHABLE, what + ": cannot connect", e);
    }
    if (msg.contains("insufficient funds")) {
      return new LedgerException(Reason.INSUFFICIENT_FUNDS, what + ": " + e.getMessage(), e);
    }
    if (root instanceof IOException) {
      return new LedgerException(Reason.UNREACHABLE, what + ": " + root, e);
    }
    return new LedgerException(Reason.REJECTED, what + ": " + e.getMessage(), e);
  }
}
