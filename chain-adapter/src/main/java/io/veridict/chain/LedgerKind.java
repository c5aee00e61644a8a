package io.veridict.chain;

/** Which kind of ledger an adapter talks to. */
public enum LedgerKind {
  /** The embedded, hash-chained file ledger ({@link LocalLedger}); needs no service. */
  LOCAL,
  /** An Ethereum-compatible chain through the Veridict contracts. */
  EVM,
  /** The XRP Ledger, entries carried as memos of {@code AccountSet} transactions. */
  XRPL
}
