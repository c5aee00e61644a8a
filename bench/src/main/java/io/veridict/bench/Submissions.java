package io.veridict.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.AnchorOutbox;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;

/**
 * Every ledger write of the CLI goes through the durable {@link AnchorOutbox} in the ledger's state
 * directory, keyed by what the write is ({@code anchor:<root>}, {@code register:<commitment>},
 * ...): running a command again after a crash or a timeout resumes the same transaction instead of
 * writing twice.
 */
final class Submissions {
  /** Exit code: submitted, but not final within the timeout (the outbox keeps it; run again). */
  static final int NOT_FINAL = 6;

  private Submissions() {}

  record Outcome(AnchorOutbox.Ticket ticket) {
    int exitCode() {
      return switch (ticket.state()) {
        case FINAL -> Cli.OK;
        case FAILED -> LedgerFailures.LEDGER;
        case PREPARED, SUBMITTED -> NOT_FINAL;
      };
    }

    ObjectNode toJson() {
      ObjectNode o = Cli.JSON.createObjectNode();
      o.put("status", ticket.state().name());
      o.put("tx_hash", ProofRecords.hex(ticket.tx().txHash()));
      o.put("ledger", ticket.tx().kind().name().toLowerCase(java.util.Locale.ROOT));
      o.put("network_id", ticket.tx().networkId());
      o.put("height", ticket.height());
      o.put("detail", ticket.detail());
      return o;
    }

    String text() {
      String s = "  ledger    " + ticket.tx().kind().name().toLowerCase(java.util.Locale.ROOT) + " " + ticket.tx().networkId()
          + "\n  tx        " + ProofRecords.hex(ticket.tx().txHash())
          + "\n  status    " + ticket.state() + (ticket.height() >= 0 ? " at height " + ticket.height() : "")
          + (ticket.detail().isEmpty() ? "" : " (" + ticket.detail() + ")");
      return switch (ticket.state()) {
        case FINAL -> s;
        case FAILED -> s + "\n  the ledger did not take it; see the detail";
        case PREPARED, SUBMITTED -> s + "\n  not final yet: run the same command again to resume (nothing is sent twice)";
      };
    }
  }

  static Outcome submit(LedgerOptions options, LedgerAnchor ledger, LedgerEntry entry, String key)
      throws LedgerException {
    AnchorOutbox outbox = AnchorOutbox.open(options.stateDir().resolve("outbox"), ledger);
    return new Outcome(outbox.submit(key, entry, options.timeout()));
  }
}
