package io.veridict.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A durable write-ahead outbox in front of any {@link LedgerAnchor}: a process killed at any
 * step and restarted neither loses nor duplicates a ledger entry.
 *
 * <p>Each request has a caller-chosen idempotency key (for a batch: {@code "anchor:" + root}).
 * The steps, each recorded in the request's ticket file before the next one starts:
 *
 * <ol>
 *   <li><b>prepare</b>: if a ticket for the key exists, resume it (never prepare a second
 *       transaction for a request that has one). Otherwise, for a batch anchor, first look the
 *       root up on the ledger (anchored earlier without this outbox: recorded as final, nothing
 *       sent); else {@link LedgerAnchor#prepare} and <b>persist the signed transaction</b>
 *       ({@link State#PREPARED}) before anything is sent;
 *   <li><b>submit</b> the stored bytes ({@link State#SUBMITTED} once the ledger accepted them);
 *   <li><b>await finality</b>: {@link State#FINAL} with its height, or {@link State#FAILED}.
 * </ol>
 *
 * <p>On resume (a repeated request, or {@link #resumeAll}) the stored transaction is looked up
 * first; if the ledger does not know it (never sent, or dropped) or it was reorged out, the
 * <em>same signed bytes</em> are submitted again, which the ledger deduplicates. A new transaction
 * is prepared for a request only when the ledger proves the old one can never be included ({@link
 * TxStatus.Expired}, or a {@link Reason#NONCE_CONFLICT} while the old hash is not on the ledger);
 * the superseded hashes stay in the ticket. Awaiting finality past the timeout is not an error:
 * the ticket stays {@link State#SUBMITTED} and a later call resumes it. A {@link State#FAILED}
 * request stays failed (the ledger refused or reverted it, or {@link #MAX_ATTEMPTS} transactions
 * expired); trying again needs a new key, after the cause is fixed.
 *
 * <p>Ticket files ({@code <sha256(key)>.json}) are replaced atomically (write, fsync, rename,
 * fsync of the directory), so a crash leaves either the old or the new ticket. A per-key OS file
 * lock keeps two processes from working on the same request at once. Format: {@code
 * docs/ledger.md}.
 */
public final class AnchorOutbox {

  /** Where a request stands in the outbox. */
  public enum State {
    /** The signed transaction is stored; it may or may not have been sent. */
    PREPARED,
    /** The ledger accepted the signed bytes; not final yet. */
    SUBMITTED,
    /** On the ledger for good. */
    FINAL,
    /** The ledger included or refused it with an error; it will not take effect. */
    FAILED;

    /** True for {@link #FINAL} and {@link #FAILED}. */
    public boolean isTerminal() {
      return this == FINAL || this == FAILED;
    }
  }

  /**
   * A request and where it stands.
   *
   * @param key the idempotency key
   * @param state the outbox state
   * @param tx the current signed transaction
   * @param supersededTxHashes earlier transactions of this request that provably can never be
   *     included (expired), oldest first
   * @param height where it landed ({@link State#FINAL}, or {@link State#FAILED} if included), else
   *     {@code -1}
   * @param detail the last status seen, for humans
   */
  public record Ticket(String key, State state, PreparedTx tx, List<Bytes32> supersededTxHashes,
      long height, String detail) {
    public Ticket {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(tx, "tx");
      supersededTxHashes = List.copyOf(supersededTxHashes);
      Objects.requireNonNull(detail, "detail");
    }

    Ticket with(State s, long h, String d) {
      return new Ticket(key, s, tx, supersededTxHashes, h, d);
    }
  }

  /** Upper bound on a ticket file (a signed transaction is at most 1 MiB, stored as hex). */
  static final int MAX_TICKET_BYTES = 3 * PreparedTx.MAX_SIGNED_BYTES;

  /** Bound on new transactions prepared for one request after expiries. */
  public static final int MAX_ATTEMPTS = 5;

  /** Upper bound on an idempotency key. */
  public static final int MAX_KEY_LENGTH = 256;

  /**
   * Test-only crash hook: when this system property names a step ({@code after-persist}, {@code
   * after-submit}, {@code before-final}), the JVM halts there as if killed. Package-private; used
   * by {@code AnchorOutboxCrashIT} to kill a real child process at each step.
   */
  static final String TEST_ONLY_CRASH_POINT_PROPERTY = "veridict.test.outbox.crashAt";

  private static final HexFormat HEX = HexFormat.of();
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final LedgerAnchor ledger;
  private final Duration lockTimeout;

  private AnchorOutbox(Path dir, LedgerAnchor ledger, Duration lockTimeout) {
    this.dir = dir;
    this.ledger = ledger;
    this.lockTimeout = lockTimeout;
  }

  /**
   * An outbox in {@code dir} (created if absent) in front of {@code ledger}. The outbox does not
   * own the ledger: closing it is the caller's job.
   */
  public static AnchorOutbox open(Path dir, LedgerAnchor ledger) throws LedgerException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(ledger, "ledger");
    try {
      Files.createDirectories(dir);
      return new AnchorOutbox(dir.toRealPath(), ledger, LocalLedger.DEFAULT_LOCK_TIMEOUT);
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "cannot open the outbox " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The idempotency key of a batch anchor: {@code "anchor:" + root hex}. */
  public static String keyOf(LedgerEntry.BatchAnchor anchor) {
    return "anchor:" + anchor.root().toHex();
  }

  /** {@link #submit(String, LedgerEntry, Duration)} with {@link #keyOf} as the key. */
  public Ticket anchor(LedgerEntry.BatchAnchor anchor, Duration timeout) throws LedgerException {
    return submit(keyOf(anchor), anchor, timeout);
  }

  /**
   * Writes {@code entry} to the ledger exactly once per {@code key}: creates the request or
   * resumes the existing one, and waits up to {@code timeout} for finality.
   *
   * @return the ticket; {@link State#FINAL} on success, {@link State#SUBMITTED} or {@link
   *     State#PREPARED} if not final in time (call again to resume), {@link State#FAILED} if the
   *     ledger refused it
   * @throws IllegalArgumentException if {@code key} already names a request for another entry
   * @throws LedgerException from the ledger or the storage; the ticket (if any) stays for a resume
   */
  public Ticket submit(String key, LedgerEntry entry, Duration timeout) throws LedgerException {
    checkKey(key);
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(timeout, "timeout");
    return withKeyLock(key, () -> {
      Optional<Ticket> existing = read(key);
      Ticket t;
      if (existing.isPresent()) {
        t = existing.get();
        if (!t.tx().entry().equals(entry)) {
          throw new IllegalArgumentException(
              "idempotency key '" + key + "' is already used for another entry");
        }
      } else {
        if (entry instanceof LedgerEntry.BatchAnchor a) {
          Optional<Anchored> found = ledger.find(a.root());
          if (found.isPresent() && found.get().isFinal() && found.get().entry().equals(a)) {
            // Anchored before (e.g. by an earlier run that lost its outbox): do not anchor twice.
            PreparedTx tx = ledger.prepare(entry); // never submitted; kept only as a record
            Ticket done = new Ticket(key, State.FINAL, tx, List.of(), found.get().height(),
                "already on the ledger in transaction " + found.get().txHash() + "; nothing sent");
            write(done);
            return done;
          }
        }
        t = new Ticket(key, State.PREPARED, ledger.prepare(entry), List.of(), -1, "prepared");
        write(t); // 1. persisted BEFORE anything is sent
        crashPoint("after-persist");
      }
      return drive(t, timeout);
    });
  }

  /** Resumes every unfinished request, each waiting up to {@code timeoutEach}. */
  public List<Ticket> resumeAll(Duration timeoutEach) throws LedgerException {
    List<Ticket> out = new ArrayList<>();
    for (Ticket t : tickets()) {
      if (!t.state().isTerminal()) {
        out.add(withKeyLock(t.key(), () -> drive(read(t.key()).orElseThrow(), timeoutEach)));
      }
    }
    return out;
  }

  /** The ticket of {@code key}, if the request exists. */
  public Optional<Ticket> ticket(String key) throws LedgerException {
    checkKey(key);
    try {
      return read(key);
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "cannot read the outbox: " + e.getMessage(), e);
    }
  }

  /** Every ticket in the outbox, in no particular order. */
  public List<Ticket> tickets() throws LedgerException {
    List<Ticket> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : ds) {
        out.add(parse(readBounded(p), p));
      }
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "cannot read the outbox " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  // ---------------------------------------------------------------- the state machine

  private Ticket drive(Ticket t, Duration timeout) throws LedgerException, IOException {
    if (t.state().isTerminal()) {
      return t;
    }
    for (int attempt = 0; ; attempt++) {
      // 2. submit (again) unless the ledger already has it
      TxStatus status = ledger.poll(t.tx());
      boolean mustSend = switch (status) {
        case TxStatus.Pending p -> !p.known() || t.state() == State.PREPARED;
        case TxStatus.Reorged r -> true;
        default -> false;
      };
      if (mustSend) {
        try {
          ledger.submit(t.tx());
        } catch (LedgerException e) {
          if (e.reason() == Reason.EXPIRED || e.reason() == Reason.NONCE_CONFLICT) {
            TxStatus again = ledger.poll(t.tx());
            if (again instanceof TxStatus.Final || again instanceof TxStatus.Included) {
              status = again;
            } else {
              t = supersede(t, e.getMessage(), attempt);
              if (t.state().isTerminal()) {
                return t;
              }
              continue;
            }
          } else if (e.reason() == Reason.REJECTED || e.reason() == Reason.INSUFFICIENT_FUNDS
              || e.reason() == Reason.UNAUTHORIZED) {
            Ticket failed = t.with(State.FAILED, -1, e.getMessage());
            write(failed);
            return failed;
          } else {
            throw e;
          }
        }
        crashPoint("after-submit");
      }
      if (t.state() == State.PREPARED) {
        t = t.with(State.SUBMITTED, -1, "submitted");
        write(t);
      }
      crashPoint("before-final");
      // 3. await finality
      if (!status.isTerminal()) {
        status = ledger.awaitFinal(t.tx(), timeout);
      }
      switch (status) {
        case TxStatus.Final f -> {
          Ticket done = t.with(State.FINAL, f.height(), "final at height " + f.height());
          write(done);
          return done;
        }
        case TxStatus.Failed f -> {
          Ticket failed = t.with(State.FAILED, f.height(), f.code() + ": " + f.reason());
          write(failed);
          return failed;
        }
        case TxStatus.Expired x -> {
          t = supersede(t, "expired: last valid height " + x.lastValidHeight()
              + " < validated " + x.validatedHeight(), attempt);
          if (t.state().isTerminal()) {
            return t;
          }
        }
        default -> {
          Ticket waiting = t.with(t.state(), -1, "not final yet: " + status);
          write(waiting);
          return waiting;
        }
      }
    }
  }

  /** The current transaction can never be included: prepare a new one (bounded). */
  private Ticket supersede(Ticket t, String why, int attempt) throws LedgerException, IOException {
    if (attempt + 1 >= MAX_ATTEMPTS) {
      Ticket failed = t.with(State.FAILED, -1, "gave up after " + MAX_ATTEMPTS + " transactions: " + why);
      write(failed);
      return failed;
    }
    List<Bytes32> old = new ArrayList<>(t.supersededTxHashes());
    old.add(t.tx().txHash());
    Ticket next = new Ticket(t.key(), State.PREPARED, ledger.prepare(t.tx().entry()), old, -1,
        "re-prepared: " + why);
    write(next);
    return next;
  }

  private static void crashPoint(String step) {
    if (step.equals(System.getProperty(TEST_ONLY_CRASH_POINT_PROPERTY))) {
      Runtime.getRuntime().halt(77);
    }
  }

  // ---------------------------------------------------------------- storage

  @FunctionalInterface
  private interface Action<T> {
    T run() throws LedgerException, IOException;
  }

  private <T> T withKeyLock(String key, Action<T> a) throws LedgerException {
    Path lockFile = dir.resolve(fileStem(key) + ".lock");
    ReentrantLock jl = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    try {
      if (!jl.tryLock(lockTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new LedgerException(Reason.LOCKED, "request '" + key + "' is busy in this process");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException(Reason.LOCKED, "interrupted waiting for request '" + key + "'");
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long deadline = System.nanoTime() + lockTimeout.toNanos();
      FileLock lock = null;
      while (lock == null) {
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          if (System.nanoTime() - deadline >= 0) {
            throw new LedgerException(Reason.LOCKED,
                "another process is working on request '" + key + "' (lock " + lockFile + ")");
          }
          Thread.sleep(5);
        }
      }
      try {
        return a.run();
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "outbox " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException(Reason.LOCKED, "interrupted waiting for request '" + key + "'");
    } finally {
      jl.unlock();
    }
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("an idempotency key is 1.." + MAX_KEY_LENGTH + " characters");
    }
  }

  private static String fileStem(String key) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<Ticket> read(String key) throws IOException, LedgerException {
    Path p = dir.resolve(fileStem(key) + ".json");
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    Ticket t = parse(readBounded(p), p);
    if (!t.key().equals(key)) {
      throw new LedgerException(Reason.CORRUPT_LEDGER, "outbox ticket " + p + " is for another key");
    }
    return Optional.of(t);
  }

  private static byte[] readBounded(Path p) throws IOException, LedgerException {
    long size = Files.size(p);
    if (size > MAX_TICKET_BYTES) {
      throw new LedgerException(Reason.CORRUPT_LEDGER,
          "outbox ticket " + p + " is " + size + " bytes; at most " + MAX_TICKET_BYTES);
    }
    return Files.readAllBytes(p);
  }

  private void write(Ticket t) throws IOException {
    ObjectNode o = EntryCodec.JSON.createObjectNode();
    o.put("v", 1);
    o.put("key", t.key());
    o.put("state", t.state().name());
    PreparedTx tx = t.tx();
    o.put("kind", tx.kind().name());
    o.put("network", tx.networkId());
    o.put("txHash", tx.txHash().toHex());
    o.put("signed", HEX.formatHex(tx.signedBytes()));
    o.put("sequence", tx.sequence());
    o.put("lastValid", tx.lastValidHeight());
    o.set("entry", EntryCodec.toJson(tx.entry()));
    ArrayNode sup = o.putArray("superseded");
    t.supersededTxHashes().forEach(h -> sup.add(h.toHex()));
    o.put("height", t.height());
    o.put("detail", t.detail());
    byte[] bytes = EntryCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    Path target = dir.resolve(fileStem(t.key()) + ".json");
    Path tmp = dir.resolve(fileStem(t.key()) + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // make the rename durable
    } catch (IOException e) {
      // some platforms cannot fsync a directory; the rename is still atomic
    }
  }

  private static Ticket parse(byte[] bytes, Path p) throws LedgerException {
    try {
      JsonNode n = EntryCodec.JSON.readTree(bytes);
      List<Bytes32> sup = new ArrayList<>();
      for (JsonNode h : n.get("superseded")) {
        sup.add(Bytes32.fromHex(h.textValue()));
      }
      PreparedTx tx = new PreparedTx(LedgerKind.valueOf(n.get("kind").textValue()),
          n.get("network").textValue(), Bytes32.fromHex(n.get("txHash").textValue()),
          HEX.parseHex(n.get("signed").textValue()), n.get("sequence").longValue(),
          n.get("lastValid").longValue(), EntryCodec.fromJson(n.get("entry")));
      return new Ticket(n.get("key").textValue(), State.valueOf(n.get("state").textValue()), tx, sup,
          n.get("height").longValue(), n.get("detail").textValue());
    } catch (IOException | RuntimeException e) {
      throw new LedgerException(Reason.CORRUPT_LEDGER, "outbox ticket " + p + " is malformed: "
          + e.getClass().getSimpleName(), e);
    }
  }
}
