package io.veridict.chain;

import java.util.Objects;

/**
 * An opaque position in a ledger's history, returned by {@link LedgerAnchor#history} to fetch the
 * next page. Each adapter defines the token (a record index, a block number and log index, an
 * XRPL {@code account_tx} marker); callers only store and pass it back. Tokens are printable ASCII
 * so a CLI can print and accept them.
 *
 * @param token the adapter-specific position; empty for {@link #START}
 */
public record Cursor(String token) {
  /** The start of the history. */
  public static final Cursor START = new Cursor("");

  /** Bound on the token length: cursors are positions, not payloads. */
  public static final int MAX_TOKEN_LENGTH = 1024;

  public Cursor {
    Objects.requireNonNull(token, "token");
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "cursor token is " + token.length() + " characters; at most " + MAX_TOKEN_LENGTH);
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("cursor token must be printable ASCII without spaces");
      }
    }
  }

  /** True for {@link #START}. */
  public boolean isStart() {
    return token.isEmpty();
  }
}
