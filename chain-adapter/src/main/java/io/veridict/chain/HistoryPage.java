package io.veridict.chain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a ledger's Veridict history, oldest first.
 *
 * @param entries entries in ledger order (height, then position)
 * @param next where the next page starts, or empty when this page reaches the current head. A
 *     page may be short (or even empty) and still have a {@code next}: adapters scan in bounded
 *     chunks (e.g. {@code eth_getLogs} block ranges).
 */
public record HistoryPage(List<Anchored> entries, Optional<Cursor> next) {
  public HistoryPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(next, "next");
  }
}
