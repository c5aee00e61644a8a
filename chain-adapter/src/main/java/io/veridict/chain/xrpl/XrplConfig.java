package io.veridict.chain.xrpl;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link XrplLedgerAnchor} talks to an XRP Ledger node. Immutable; validated at construction
 * with messages that give the bad value and the rule.
 *
 * @param rpc the node's JSON-RPC URL ({@code http} or {@code https}), e.g. {@code
 *     http://127.0.0.1:5005}
 * @param requestTimeout how long one JSON-RPC call may take (connect + answer); beyond it the call
 *     fails with {@code TIMEOUT}
 * @param maxFeeDrops the most this adapter pays per transaction, in drops; a higher network fee is
 *     {@code FEE_TOO_HIGH}
 * @param lastLedgerOffset {@code LastLedgerSequence} = latest validated ledger index + this; the
 *     window in which a transaction may be included (XRPL reliable submission), 1..1000
 * @param pollInterval pause between lookups in {@code awaitFinal}
 * @param maxScanPages bound on {@code account_tx} pages read by {@code find} and {@code
 *     eligibility} (each up to 200 transactions)
 */
public record XrplConfig(
    URI rpc,
    Duration requestTimeout,
    long maxFeeDrops,
    int lastLedgerOffset,
    Duration pollInterval,
    int maxScanPages) {

  public XrplConfig {
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (!"http".equals(rpc.getScheme()) && !"https".equals(rpc.getScheme())) {
      throw new IllegalArgumentException("rpc must be an http(s) URL, got '" + rpc + "'");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
    if (maxFeeDrops < 10) {
      throw new IllegalArgumentException("maxFeeDrops must be at least 10 (the base fee), got " + maxFeeDrops);
    }
    if (lastLedgerOffset < 1 || lastLedgerOffset > 1000) {
      throw new IllegalArgumentException("lastLedgerOffset must be 1..1000, got " + lastLedgerOffset);
    }
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative, got " + pollInterval);
    }
    if (maxScanPages < 1) {
      throw new IllegalArgumentException("maxScanPages must be positive, got " + maxScanPages);
    }
  }

  /**
   * Defaults: 10 s per request, fee cap 2,000 drops (0.002 XRP), {@code LastLedgerSequence} 20
   * ledgers ahead (about a minute on mainnet), 1 s polls, 500 pages of history.
   */
  public static XrplConfig of(URI rpc) {
    return new XrplConfig(rpc, Duration.ofSeconds(10), 2_000, 20, Duration.ofSeconds(1), 500);
  }

  public XrplConfig withRequestTimeout(Duration d) {
    return new XrplConfig(rpc, d, maxFeeDrops, lastLedgerOffset, pollInterval, maxScanPages);
  }

  public XrplConfig withMaxFeeDrops(long drops) {
    return new XrplConfig(rpc, requestTimeout, drops, lastLedgerOffset, pollInterval, maxScanPages);
  }

  public XrplConfig withLastLedgerOffset(int offset) {
    return new XrplConfig(rpc, requestTimeout, maxFeeDrops, offset, pollInterval, maxScanPages);
  }

  public XrplConfig withPollInterval(Duration d) {
    return new XrplConfig(rpc, requestTimeout, maxFeeDrops, lastLedgerOffset, d, maxScanPages);
  }
}
