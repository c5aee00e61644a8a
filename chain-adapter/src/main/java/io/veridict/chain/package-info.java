/**
 * The ledger port: {@link io.veridict.chain.LedgerAnchor} and its value types ({@link
 * io.veridict.chain.LedgerEntry}, {@link io.veridict.chain.PreparedTx}, {@link
 * io.veridict.chain.TxStatus}, {@link io.veridict.chain.Anchored}, ...), the typed {@link
 * io.veridict.chain.LedgerException}, the OpenZeppelin-compatible {@link
 * io.veridict.chain.MerkleBatch}, the embedded {@link io.veridict.chain.LocalLedger} and the
 * crash-safe {@link io.veridict.chain.AnchorOutbox}.
 *
 * <p>Start reading at {@code LedgerAnchor}. Ledger-specific implementations live in {@code
 * io.veridict.chain.xrpl} and {@code io.veridict.chain.evm}; nothing in this package depends on
 * them or on web3j/xrpl4j.
 */
package io.veridict.chain;
