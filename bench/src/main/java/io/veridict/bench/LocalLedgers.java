package io.veridict.bench;

import io.veridict.chain.LedgerAudit;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LocalLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/** The embedded ledger as the CLI uses it: {@code DIR/ledger.jsonl} signed with {@code DIR/local.key}. */
final class LocalLedgers {
  static final String LEDGER_FILE = "ledger.jsonl";
  static final String KEY_FILE = "local.key";

  private LocalLedgers() {}

  static LocalLedger open(Path dir, byte[] seed) throws LedgerException {
    return LocalLedger.open(dir.resolve(LEDGER_FILE), seed);
  }

  /**
   * The ledger's own Ed25519 seed: {@code DIR/local.key}, created with {@code SecureRandom} (mode
   * 600) the first time a ledger is made there.
   */
  static byte[] ownKey(Path dir) {
    Path f = dir.resolve(KEY_FILE);
    try {
      if (!Files.exists(f)) {
        Files.createDirectories(dir);
        byte[] seed = LocalLedger.newSeed();
        Cli.writeAtomically(f, (HexFormat.of().formatHex(seed) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
        return seed;
      }
      String hex = Files.readString(f).strip();
      byte[] seed = HexFormat.of().parseHex(hex);
      if (seed.length != 32) {
        throw Cli.usage("the local ledger key " + f + " is not a 32-byte seed");
      }
      return seed;
    } catch (IOException e) {
      throw Cli.usage("cannot read or create the local ledger key " + f + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Cli.usage("the local ledger key " + f + " is not hex");
    }
  }

  /**
   * Audits the local ledger file without opening it for writing: empty if intact (or absent),
   * else where and how it was altered.
   */
  static Optional<AuditCommand.Problem> integrity(Path dir) throws LedgerException {
    Path f = dir.resolve(LEDGER_FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return switch (LocalLedger.audit(f)) {
      case LedgerAudit.Intact i -> Optional.empty();
      case LedgerAudit.Tampered t -> Optional.of(new AuditCommand.Problem(
          "ledger file " + f + " line " + t.lineNumber() + " (height " + t.height() + ")",
          t.problem() + ": " + t.detail() + " — the " + t.intactEntries() + " entries before it are intact"));
    };
  }
}
