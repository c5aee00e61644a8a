package io.veridict.chain.evm;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.chain.Bytes32;
import io.veridict.chain.EligibilityDomain;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only views of the {@code EligibilityGate} (no key, no nonce): what a caller checks before it
 * sends a grant, so that a bundle the gate would refuse costs no gas and gets a precise message.
 * Reads are at the latest block. {@link #connect} checks that the gate's own EIP-712 domain
 * separator is the one {@link EligibilityDomain#evm} computes for the configured chain and
 * address, so facts computed off chain are the gate's.
 */
public final class EvmGate implements AutoCloseable {
  private final EvmConfig config;
  private final JsonRpc rpc;
  private final EligibilityDomain domain;

  /**
   * What a policy accepts ({@code EligibilityGate.policy}).
   *
   * @param ruleSet false: a model is bound but no threshold rule, so no grant is accepted
   */
  public record Policy(Bytes32 modelCommitment, Bytes32 airId, long thresholdBits, long circuitThreshold,
      long maxValiditySeconds, int direction, boolean ruleSet) {
    /** True when no model was ever bound to the policy. */
    public boolean isUnknown() {
      return modelCommitment.isZero();
    }
  }

  private EvmGate(EvmConfig config, JsonRpc rpc) {
    this.config = config;
    this.rpc = rpc;
    this.domain = EligibilityDomain.evm(config.chainId(), config.contracts().eligibilityGate());
  }

  /**
   * Connects and checks the chain id and the gate's domain separator.
   *
   * @throws LedgerException {@code WRONG_CHAIN}, {@code UNSUPPORTED} (no gate, or another gate
   *     version at the address), {@code UNREACHABLE}, {@code TIMEOUT}, {@code BAD_RESPONSE}
   */
  public static EvmGate connect(EvmConfig config) throws LedgerException {
    EvmGate g = new EvmGate(config, new JsonRpc(config.rpc(), config.connectTimeout(), config.requestTimeout()));
    try {
      long chain = JsonRpc.quantity(g.call("eth_chainId"), "chain id");
      if (chain != config.chainId()) {
        throw new LedgerException(Reason.WRONG_CHAIN, "the node is chain " + chain + ", configured chain is "
            + config.chainId());
      }
      Bytes32 onChain;
      try {
        onChain = Bytes32.of(g.view(VeridictAbi.domainSeparator(), 32));
      } catch (LedgerException e) {
        throw new LedgerException(Reason.UNSUPPORTED, "the contract at " + config.contracts().eligibilityGate()
            + " has no domainSeparator(): not this version of the EligibilityGate", e);
      }
      if (!onChain.equals(g.domain.separator())) {
        throw new LedgerException(Reason.UNSUPPORTED, "the EligibilityGate at " + config.contracts().eligibilityGate()
            + " has EIP-712 domain " + onChain + ", expected " + g.domain.separator());
      }
      return g;
    } catch (LedgerException | RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** The domain facts of this gate are computed in. */
  public EligibilityDomain domain() {
    return domain;
  }

  /** {@code EligibilityGate.policy(policyId)}; all zero (see {@link Policy#isUnknown}) for an unknown policy. */
  public Policy policy(Bytes32 policyId) throws LedgerException {
    byte[] b = view(VeridictAbi.policy(policyId), 7 * 32);
    long direction = uint(b, 5, 8);
    long ruleSet = uint(b, 6, 1);
    BigInteger ct = new BigInteger(Arrays.copyOfRange(b, 96, 128));
    if (ct.bitLength() > 63) {
      throw new LedgerException(Reason.BAD_RESPONSE, "policy() returned a non-canonical int64");
    }
    return new Policy(Bytes32.of(Arrays.copyOfRange(b, 0, 32)), Bytes32.of(Arrays.copyOfRange(b, 32, 64)),
        new BigInteger(1, Arrays.copyOfRange(b, 64, 96)).longValue(), ct.longValue(), uint(b, 4, 63),
        (int) direction, ruleSet == 1);
  }

  /** Since when (unix seconds) the pair is on hold after a revocation; 0 when it is not. */
  public long heldSince(String borrower, Bytes32 policyId) throws LedgerException {
    return uint(view(VeridictAbi.heldSince(LedgerEntry.normaliseAddress(borrower), policyId), 32), 0, 63);
  }

  /** The latest block's timestamp (unix seconds): the gate's clock for validity bounds. */
  public long latestTimestamp() throws LedgerException {
    JsonNode b = call("eth_getBlockByNumber", "latest", false);
    if (b == null || !b.isObject()) {
      throw new LedgerException(Reason.BAD_RESPONSE, "no latest block");
    }
    return JsonRpc.quantity(b.get("timestamp"), "block timestamp");
  }

  /** Whether the gate recorded {@code fact} before. */
  public boolean isFactUsed(Bytes32 fact) throws LedgerException {
    return uint(view(VeridictAbi.isFactUsed(fact), 32), 0, 1) == 1;
  }

  /** Whether the registry says the model version is active. */
  public boolean isModelActive(Bytes32 modelCommitment) throws LedgerException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("to", config.contracts().modelRegistry());
    c.put("data", "0x" + org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("isActive",
        java.util.List.of(new org.web3j.abi.datatypes.generated.Bytes32(modelCommitment.toByteArray())),
        java.util.List.of())).substring(2));
    return uint(JsonRpc.data(call("eth_call", c, "latest"), 32, "isActive result"), 0, 1) == 1;
  }

  @Override
  public void close() {
    rpc.close();
  }

  private byte[] view(String data, int length) throws LedgerException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("to", config.contracts().eligibilityGate());
    c.put("data", data);
    return JsonRpc.data(call("eth_call", c, "latest"), length, "EligibilityGate view");
  }

  private JsonNode call(String method, Object... params) throws LedgerException {
    try {
      return rpc.call(method, params);
    } catch (RpcError e) {
      throw new LedgerException(Reason.BAD_RESPONSE, e.getMessage(), e);
    }
  }

  private static long uint(byte[] b, int word, int bits) throws LedgerException {
    BigInteger v = new BigInteger(1, Arrays.copyOfRange(b, word * 32, word * 32 + 32));
    if (v.bitLength() > bits) {
      throw new LedgerException(Reason.BAD_RESPONSE, "the gate returned a non-canonical value");
    }
    return v.longValue();
  }
}
