/**
 * The ledger port: {@link io.veridict.chain.LedgerAnchor} and its value types ({@link
 * io.veridict.chain.LedgerEntry}, {@link io.veridict.chain.PreparedTx}, {@link
 * io.veridict.chain.TxStatus}, {@link io.veridict.chain.Anchored}, ...), the typed {@link
 * io.veridict.chain.LedgerException}, and what every ledger shares:
 *
 * <ul>
 *   <li>{@link io.veridict.chain.MerkleBatch} and {@link io.veridict.chain.ProofRecord}: batches
 *       of proof records as OpenZeppelin-compatible Merkle trees (golden vectors from the npm
 *       library itself);
 *   <li>{@link io.veridict.chain.LocalLedger}: the embedded, hash-chained, signed file ledger, and
 *       its {@link io.veridict.chain.LedgerAudit};
 *   <li>{@link io.veridict.chain.AnchorOutbox}: the durable write-ahead outbox that makes
 *       anchoring on any ledger crash-safe and idempotent;
 *   <li>{@link io.veridict.chain.EntryCodec}: the canonical JSON of an entry (local ledger lines,
 *       XRPL memos).
 * </ul>
 *
 * <p>Start reading at {@code LedgerAnchor}. Ledger-specific implementations live in {@code
 * io.veridict.chain.xrpl} and {@code io.veridict.chain.evm}; nothing in this package depends on
 * them or on web3j/xrpl4j. Formats: {@code docs/ledger.md}.
 */
package io.veridict.chain;
