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
 * explicit gas limits; the admin key receives every role.
 */
public final class EvmDeployer {
  private static final BigInteger DEPLOY_GAS = BigInteger.valueOf(3_000_000);

  private EvmDeployer() {}

  /**
   * What to deploy besides the three core contracts.
   *
   * @param poolPolicyId the policy the example lending pool requires
   * @param poolMaxLoanWei the pool's largest single loan
   * @param writers accounts that also get REGISTRAR_ROLE, ANCHORER_ROLE and VERIFIER_ROLE (e.g. a
   *     separate anchoring key); may be empty
   */
  public record Options(Bytes32 poolPolicyId, BigInteger poolMaxLoanWei, List<String> writers) {
    public Options {
      Objects.requireNonNull(poolPolicyId, "poolPolicyId");
      Objects.requireNonNull(poolMaxLoanWei, "poolMaxLoanWei");
      if (poolMaxLoanWei.signum() <= 0) {
        throw new IllegalArgumentException("poolMaxLoanWei must be positive, got " + poolMaxLoanWei);
      }
      writers = writers.stream().map(LedgerEntry::normaliseAddress).toList();
    }

    /** A pool for {@code policyId} lending up to 1 ether, no extra writers. */
    public static Options of(Bytes32 policyId) {
      return new Options(policyId, BigInteger.TEN.pow(18), List.of());
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
      EligibilityGate gate =
          EligibilityGate.deploy(web3j, tm, gas, a, registry.getContractAddress()).send();
      LendingPool pool =
          LendingPool.deploy(web3j, tm, gas, gate.getContractAddress(),
                  options.poolPolicyId().toByteArray(), options.poolMaxLoanWei())
              .send();
      for (String w : options.writers()) {
        ok(registry.grantRole(registry.REGISTRAR_ROLE().send(), w).send());
        ok(anchor.grantRole(anchor.ANCHORER_ROLE().send(), w).send());
        ok(gate.grantRole(gate.VERIFIER_ROLE().send(), w).send());
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
   * Binds {@code policyId} to the model version its proofs must use ({@code
   * EligibilityGate.setPolicyModel}); grants under the policy need it.
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
