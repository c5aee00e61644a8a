package io.veridict.chain;

import java.util.Arrays;
import java.util.Objects;

/**
 * A built and signed transaction that has not necessarily been sent: everything needed to send
 * it again, byte for byte, after a crash. Produced by {@link LedgerAnchor#prepare}; stored by
 * {@link AnchorOutbox} before {@link LedgerAnchor#submit} is ever called.
 *
 * <p>Resubmitting the same signed bytes can never create a second ledger entry: the ledger
 * deduplicates by transaction hash (local), by account sequence (XRPL) or by nonce (EVM).
 *
 * @param kind the ledger kind it was prepared for
 * @param networkId the network it is bound to (see {@link LedgerInfo#networkId()}); submitting it
 *     elsewhere fails with {@link LedgerException.Reason#WRONG_CHAIN}
 * @param txHash the transaction hash, computed locally from {@code signedBytes} the way the ledger
 *     computes it
 * @param signedBytes the exact bytes to send (XRPL: the binary-encoded signed transaction; EVM:
 *     the RLP-encoded signed transaction; local: the signed transaction encoding)
 * @param sequence the account sequence (XRPL) or nonce (EVM); the local ledger's random nonce
 * @param lastValidHeight the last ledger index in which it may be included (XRPL {@code
 *     LastLedgerSequence}), or {@code -1} if the ledger has no such bound
 * @param entry what the transaction writes
 */
public record PreparedTx(
    LedgerKind kind,
    String networkId,
    Bytes32 txHash,
    byte[] signedBytes,
    long sequence,
    long lastValidHeight,
    LedgerEntry entry) {

  /** Upper bound on {@link #signedBytes()}, to bound what the outbox and the decoders accept. */
  public static final int MAX_SIGNED_BYTES = 1 << 20;

  public PreparedTx {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(networkId, "networkId");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(signedBytes, "signedBytes");
    Objects.requireNonNull(entry, "entry");
    if (signedBytes.length == 0 || signedBytes.length > MAX_SIGNED_BYTES) {
      throw new IllegalArgumentException(
          "signedBytes must be 1.." + MAX_SIGNED_BYTES + " bytes, got " + signedBytes.length);
    }
    if (lastValidHeight < -1) {
      throw new IllegalArgumentException(
          "lastValidHeight must be -1 (none) or a height, got " + lastValidHeight);
    }
    signedBytes = signedBytes.clone();
  }

  /** A copy of the signed bytes. */
  @Override
  public byte[] signedBytes() {
    return signedBytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreparedTx p
        && kind == p.kind
        && networkId.equals(p.networkId)
        && txHash.equals(p.txHash)
        && Arrays.equals(signedBytes, p.signedBytes)
        && sequence == p.sequence
        && lastValidHeight == p.lastValidHeight
        && entry.equals(p.entry);
  }

  @Override
  public int hashCode() {
    return txHash.hashCode();
  }

  @Override
  public String toString() {
    return "PreparedTx[" + kind + " " + networkId + " tx=" + txHash + " seq=" + sequence
        + " lastValid=" + lastValidHeight + " " + entry + " (" + signedBytes.length + " bytes)]";
  }
}
