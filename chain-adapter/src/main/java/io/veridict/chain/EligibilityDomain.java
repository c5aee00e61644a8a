package io.veridict.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The EIP-712 domain an eligibility fact is bound to ({@link GateStatement#fact}), so a fact names
 * one statement on one ledger (and, on an EVM, one gate contract of one chain).
 *
 * <ul>
 *   <li>{@link #evm}: exactly the {@code EligibilityGate}'s OpenZeppelin {@code EIP712} domain,
 *       {@code EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)}
 *       with name {@value #NAME} and version {@value #VERSION};
 *   <li>{@link #ledger}: the local and XRPL ledgers, which have no chain id or contract: {@code
 *       EIP712Domain(string name,string version,bytes32 salt)} with salt = Keccak-256 of the
 *       ledger's network id as {@link LedgerInfo#networkId()} reports it ({@code local:} + 64 hex digits, or the XRPL network id in decimal).
 * </ul>
 *
 * @param separator the domain separator
 * @param description how it was made, for messages
 */
public record EligibilityDomain(Bytes32 separator, String description) {
  /** The gate's EIP-712 name. */
  public static final String NAME = "Veridict EligibilityGate";
  /** The gate's EIP-712 version. */
  public static final String VERSION = "1";

  private static final String EVM_TYPE =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
  private static final String LEDGER_TYPE = "EIP712Domain(string name,string version,bytes32 salt)";

  public EligibilityDomain {
    Objects.requireNonNull(separator, "separator");
    Objects.requireNonNull(description, "description");
  }

  /** The domain of the gate at {@code gateAddress} on chain {@code chainId}. */
  public static EligibilityDomain evm(long chainId, String gateAddress) {
    if (chainId < 1) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    String gate = LedgerEntry.normaliseAddress(gateAddress);
    byte[] enc = new byte[5 * 32];
    hash(EVM_TYPE).copyTo(enc, 0);
    hash(NAME).copyTo(enc, 32);
    hash(VERSION).copyTo(enc, 64);
    byte[] c = BigInteger.valueOf(chainId).toByteArray();
    System.arraycopy(c, 0, enc, 128 - c.length, c.length);
    System.arraycopy(HexFormat.of().parseHex(gate.substring(2)), 0, enc, 128 + 12, 20);
    return new EligibilityDomain(Bytes32.of(ProofRecord.keccak(enc)), "gate " + gate + " on chain " + chainId);
  }

  /** The domain of a ledger without chain id or contract (local, XRPL), by its network id. */
  public static EligibilityDomain ledger(String networkId) {
    Objects.requireNonNull(networkId, "networkId");
    byte[] enc = new byte[4 * 32];
    hash(LEDGER_TYPE).copyTo(enc, 0);
    hash(NAME).copyTo(enc, 32);
    hash(VERSION).copyTo(enc, 64);
    hash(networkId).copyTo(enc, 96);
    return new EligibilityDomain(Bytes32.of(ProofRecord.keccak(enc)), "ledger " + networkId);
  }

  private static Bytes32 hash(String s) {
    return Bytes32.of(ProofRecord.keccak(s.getBytes(StandardCharsets.UTF_8)));
  }
}
