package io.veridict.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The public statement of a decision proof in the fixed-size form a ledger records it: the Solidity
 * struct {@code DecisionStatement} ({@code contracts/src/main/solidity/DecisionStatement.sol}),
 * field by field. An eligibility grant carries the statement, never a caller-supplied digest: the
 * ledger computes the grant's fact from it ({@link #fact(EligibilityDomain)}).
 *
 * <p>The fact is EIP-712 ({@code https://eips.ethereum.org/EIPS/eip-712}): {@code
 * keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(statement))}, with {@code hashStruct =
 * keccak256(TYPEHASH ‖ 13 ABI words)}; every member is an atomic type, so each is one word
 * ({@code int64} sign-extended, {@code bool} 0/1, {@code address} left-padded). Golden vector:
 * {@code GateStatementKatTest}, the same one the Solidity tests check.
 *
 * @param version statement format version ({@link #VERSION} for grants)
 * @param airId the circuit identity
 * @param modelCommitment the model version
 * @param inputCommitment the salted commitment to the applicant's features
 * @param direction {@link #AT_LEAST} (approve at or above the threshold) or {@link #AT_MOST}
 * @param thresholdBits the IEEE-754 binary64 bits of the policy threshold, any 64-bit pattern
 *     (encoded as the unsigned {@code uint64})
 * @param circuitThreshold the fixed-point threshold the circuit compares with ({@code int64})
 * @param decision approve or not
 * @param chainId the chain (context) the proof is for, 0 for none; as an unsigned {@code uint64}
 *     it must be non-negative here
 * @param borrower the context subject, a 20-byte address; normalised to lowercase
 * @param policyId the policy id (Keccak-256 of the policy string, or the 32-byte id)
 * @param nonceHash Keccak-256 of the UTF-8 nonce
 * @param expiresAt the context expiry, Unix seconds, 0 for none
 */
public record GateStatement(
    int version,
    Bytes32 airId,
    Bytes32 modelCommitment,
    Bytes32 inputCommitment,
    int direction,
    long thresholdBits,
    long circuitThreshold,
    boolean decision,
    long chainId,
    String borrower,
    Bytes32 policyId,
    Bytes32 nonceHash,
    long expiresAt) {

  /** Approve when the prediction is at least the threshold. */
  public static final int AT_LEAST = 0;

  /** Approve when the prediction is at most the threshold. */
  public static final int AT_MOST = 1;

  /**
   * The statement format version this type encodes: 2, the off-chain statement with a guard band
   * ({@code io.veridict.model.DecisionStatement}); the guard band is not a member of this struct yet.
   */
  public static final int VERSION = 2;

  /** The EIP-712 type string; {@link #TYPEHASH} is its Keccak-256. */
  public static final String TYPE =
      "DecisionStatement(uint32 version,bytes32 airId,bytes32 modelCommitment,bytes32 inputCommitment,"
          + "uint8 direction,uint64 thresholdBits,int64 circuitThreshold,bool decision,uint64 chainId,"
          + "address borrower,bytes32 policyId,bytes32 nonceHash,uint64 expiresAt)";

  /** Keccak-256 of {@link #TYPE}. */
  public static final Bytes32 TYPEHASH = Bytes32.of(ProofRecord.keccak(TYPE.getBytes(StandardCharsets.US_ASCII)));

  /** Number of ABI words of the statement. */
  public static final int WORDS = 13;

  public GateStatement {
    if (version < 0) {
      throw new IllegalArgumentException("version is a uint32, got " + version);
    }
    Objects.requireNonNull(airId, "airId");
    Objects.requireNonNull(modelCommitment, "modelCommitment");
    Objects.requireNonNull(inputCommitment, "inputCommitment");
    if (direction != AT_LEAST && direction != AT_MOST) {
      throw new IllegalArgumentException("direction must be 0 (at-least) or 1 (at-most), got " + direction);
    }
    if (chainId < 0 || expiresAt < 0) {
      throw new IllegalArgumentException(
          "chainId and expiresAt must be non-negative, got " + chainId + " / " + expiresAt);
    }
    borrower = LedgerEntry.normaliseAddress(borrower);
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(nonceHash, "nonceHash");
  }

  /** Keccak-256 of the UTF-8 bytes of {@code nonce}: the statement's {@code nonceHash}. */
  public static Bytes32 nonceHashOf(String nonce) {
    return Bytes32.of(ProofRecord.keccak(nonce.getBytes(StandardCharsets.UTF_8)));
  }

  /** The 13 ABI words, in field order (also the calldata of the struct and its log data). */
  public byte[] abiWords() {
    byte[] out = new byte[WORDS * 32];
    putUnsigned(out, 0, BigInteger.valueOf(version));
    airId.copyTo(out, 32);
    modelCommitment.copyTo(out, 64);
    inputCommitment.copyTo(out, 96);
    putUnsigned(out, 4, BigInteger.valueOf(direction));
    putUnsigned(out, 5, new BigInteger(Long.toUnsignedString(thresholdBits)));
    putSigned(out, 6, circuitThreshold);
    putUnsigned(out, 7, decision ? BigInteger.ONE : BigInteger.ZERO);
    putUnsigned(out, 8, BigInteger.valueOf(chainId));
    byte[] a = java.util.HexFormat.of().parseHex(borrower.substring(2));
    System.arraycopy(a, 0, out, 9 * 32 + 12, 20);
    policyId.copyTo(out, 10 * 32);
    nonceHash.copyTo(out, 11 * 32);
    putUnsigned(out, 12, BigInteger.valueOf(expiresAt));
    return out;
  }

  /**
   * Decodes the 13 ABI words strictly: canonical padding for every narrow type ({@code uint8},
   * {@code uint32}, {@code uint64}, sign extension of {@code int64}, {@code bool} 0/1, {@code
   * address}); values this record refuses (a direction other than 0/1, a chain id or expiry of 2^63
   * or more) are refused too.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static GateStatement fromAbiWords(byte[] words, int offset) {
    if (offset < 0 || words.length - offset < WORDS * 32) {
      throw new IllegalArgumentException("a statement is " + WORDS + " ABI words");
    }
    long version = unsigned(words, offset, 0, 32);
    long direction = unsigned(words, offset, 4, 8);
    long thresholdBits = new BigInteger(1, word(words, offset, 5)).longValue();
    if (new BigInteger(1, word(words, offset, 5)).bitLength() > 64) {
      throw new IllegalArgumentException("uint64 out of range");
    }
    byte[] t = word(words, offset, 6);
    BigInteger ct = new BigInteger(t); // two's complement, 256 bits
    if (ct.bitLength() > 63) {
      throw new IllegalArgumentException("int64 not canonically sign-extended");
    }
    long decision = unsigned(words, offset, 7, 1);
    long chainId = unsigned(words, offset, 8, 63);
    byte[] a = word(words, offset, 9);
    for (int i = 0; i < 12; i++) {
      if (a[i] != 0) {
        throw new IllegalArgumentException("address not canonically padded");
      }
    }
    String borrower = "0x" + java.util.HexFormat.of().formatHex(a, 12, 32);
    long expiresAt = unsigned(words, offset, 12, 63);
    return new GateStatement((int) version, Bytes32.of(word(words, offset, 1)), Bytes32.of(word(words, offset, 2)),
        Bytes32.of(word(words, offset, 3)), (int) direction, thresholdBits, ct.longValueExact(), decision == 1,
        chainId, borrower, Bytes32.of(word(words, offset, 10)), Bytes32.of(word(words, offset, 11)), expiresAt);
  }

  /** EIP-712 {@code hashStruct(statement)}: Keccak-256 of the type hash and the 13 words. */
  public Bytes32 structHash() {
    byte[] enc = new byte[32 + WORDS * 32];
    TYPEHASH.copyTo(enc, 0);
    System.arraycopy(abiWords(), 0, enc, 32, WORDS * 32);
    return Bytes32.of(ProofRecord.keccak(enc));
  }

  /** The fact a ledger with {@code domain} records for this statement. */
  public Bytes32 fact(EligibilityDomain domain) {
    byte[] enc = new byte[2 + 64];
    enc[0] = 0x19;
    enc[1] = 0x01;
    domain.separator().copyTo(enc, 2);
    structHash().copyTo(enc, 34);
    return Bytes32.of(ProofRecord.keccak(enc));
  }

  private static void putUnsigned(byte[] out, int wordIndex, BigInteger v) {
    byte[] b = v.toByteArray();
    int len = b.length;
    int from = 0;
    if (len > 32) {
      from = len - 32;
      len = 32;
    }
    System.arraycopy(b, from, out, wordIndex * 32 + 32 - len, len);
  }

  private static void putSigned(byte[] out, int wordIndex, long v) {
    byte fill = v < 0 ? (byte) 0xff : 0;
    for (int i = 0; i < 24; i++) {
      out[wordIndex * 32 + i] = fill;
    }
    for (int i = 0; i < 8; i++) {
      out[wordIndex * 32 + 24 + i] = (byte) (v >>> (8 * (7 - i)));
    }
  }

  private static byte[] word(byte[] data, int offset, int index) {
    return java.util.Arrays.copyOfRange(data, offset + index * 32, offset + index * 32 + 32);
  }

  private static long unsigned(byte[] data, int offset, int index, int bits) {
    BigInteger v = new BigInteger(1, word(data, offset, index));
    if (v.bitLength() > bits) {
      throw new IllegalArgumentException("integer out of range for " + bits + " bits");
    }
    return v.longValueExact();
  }
}
