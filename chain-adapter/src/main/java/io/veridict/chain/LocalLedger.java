package io.veridict.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.chain.LedgerAudit.Checkpoint;
import io.veridict.chain.LedgerAudit.Problem;
import io.veridict.chain.LedgerException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The embedded default ledger: an append-only, hash-chained, signed file behind the {@link
 * LedgerAnchor} port, so that Veridict runs with no service. Format: {@code docs/ledger.md}.
 *
 * <p>One JSON object per line. Line 1 is a genesis record naming a random ledger id (the network
 * id, {@code local:} + 64 hex digits). Every later line {@code h} carries one signed transaction,
 * its height {@code h}, the append time, {@code prev} = the hash of line {@code h - 1}, its own
 * {@code hash} = Keccak-256 of its canonical content, and an Ed25519 signature of that hash by
 * the appending key. Transactions are Ed25519-signed by the caller's key over a domain-separated
 * canonical encoding and bound to the ledger id.
 *
 * <p>Contracts:
 *
 * <ul>
 *   <li>An append is final when {@link #submit} returns: the line is written and {@code fsync}ed
 *       ({@link FileChannel#force}). {@link #poll} then reports {@link TxStatus.Final}.
 *   <li>Submitting the same {@link PreparedTx} again is a no-op (deduplication by transaction
 *       hash), also across processes.
 *   <li>Several processes may open the same file: every operation takes an exclusive OS file lock
 *       (and an in-JVM lock), re-reads what others appended and verifies it before acting; a lock
 *       not obtained within the lock timeout is {@link Reason#LOCKED}.
 *   <li>On open and on every refresh the new lines are verified (hash chain, signatures). A torn
 *       last line (no newline: a crashed append, never acknowledged) is cut off and reported in
 *       {@link #recoveries()}; any other defect makes every operation fail with {@link
 *       Reason#CORRUPT_LEDGER} naming the line, and {@link #audit(Path)} tells exactly where.
 *   <li>Input from the file is bounded: lines longer than {@link #MAX_LINE_BYTES} are rejected
 *       without being buffered whole.
 * </ul>
 */
public final class LocalLedger implements LedgerAnchor {

  /** Upper bound on one line of the file. */
  public static final int MAX_LINE_BYTES = 16 * 1024;

  /** Default time to wait for another process's lock. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  static final String TX_DOMAIN = "veridict-local-tx-v1\n";
  static final String BLOCK_DOMAIN = "veridict-local-block-v1\n";
  private static final String NETWORK_PREFIX = "local:";
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final java.util.regex.Pattern LOWER_HEX_64 = java.util.regex.Pattern.compile("[0-9a-f]{64}");
  private static final java.util.regex.Pattern LOWER_HEX_128 = java.util.regex.Pattern.compile("[0-9a-f]{128}");

  private final Path file;
  private final FileChannel channel;
  private final ReentrantLock jvmLock;
  private final Duration lockTimeout;
  private final Ed25519PrivateKeyParameters key;
  private final byte[] publicKey;

  // State below is guarded by jvmLock (and the file lock while it is read from the file).
  private Chain chain;
  private long verifiedEnd;
  private final List<Stored> entries = new ArrayList<>();
  private final Map<Bytes32, Stored> byTxHash = new HashMap<>();
  private final List<String> recoveries = new ArrayList<>();
  private LedgerAudit.Tampered corruption;
  private boolean closed;

  /** An entry as stored, with where it landed. */
  private record Stored(Anchored anchored, Bytes32 lineHash) {}

  private LocalLedger(Path file, FileChannel channel, ReentrantLock jvmLock, Duration lockTimeout,
      Ed25519PrivateKeyParameters key) {
    this.file = file;
    this.channel = channel;
    this.jvmLock = jvmLock;
    this.lockTimeout = lockTimeout;
    this.key = key;
    this.publicKey = key.generatePublicKey().getEncoded();
  }

  /**
   * Opens (creating if absent) the ledger file, with the default lock timeout.
   *
   * @param file the ledger file, e.g. {@code .veridict/ledger/ledger.jsonl}
   * @param ed25519Seed the 32-byte Ed25519 seed of the key that signs transactions and appended
   *     lines; copied, never logged
   * @throws LedgerException {@code BAD_KEY}, {@code STORAGE}, {@code LOCKED}, {@code
   *     CORRUPT_LEDGER}
   */
  public static LocalLedger open(Path file, byte[] ed25519Seed) throws LedgerException {
    return open(file, ed25519Seed, DEFAULT_LOCK_TIMEOUT);
  }

  /** As {@link #open(Path, byte[])}, waiting at most {@code lockTimeout} for the file lock. */
  public static LocalLedger open(Path file, byte[] ed25519Seed, Duration lockTimeout)
      throws LedgerException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    if (ed25519Seed == null || ed25519Seed.length != 32) {
      throw new LedgerException(Reason.BAD_KEY, "the local ledger key must be a 32-byte Ed25519 seed");
    }
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(ed25519Seed.clone(), 0);
    FileChannel ch;
    Path real;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      real = file.toRealPath();
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "cannot open the local ledger " + file + ": " + e.getMessage(), e);
    }
    LocalLedger l = new LocalLedger(real, ch, JVM_LOCKS.computeIfAbsent(real, p -> new ReentrantLock()),
        lockTimeout, key);
    try {
      l.locked(() -> {
        l.refresh();
        if (l.chain.networkId == null) {
          // a new file, or one whose only line was a torn genesis (cut by the refresh)
          l.writeGenesis();
          l.refresh();
        }
        return null;
      });
    } catch (LedgerException e) {
      l.close();
      throw e;
    }
    return l;
  }

  /** Generates a fresh 32-byte Ed25519 seed with {@link SecureRandom}. */
  public static byte[] newSeed() {
    byte[] s = new byte[32];
    RANDOM.nextBytes(s);
    return s;
  }

  /** The ledger file. */
  public Path file() {
    return file;
  }

  /** Repairs made while reading (torn tails cut off), oldest first; empty for a clean file. */
  public List<String> recoveries() {
    jvmLock.lock();
    try {
      return List.copyOf(recoveries);
    } finally {
      jvmLock.unlock();
    }
  }

  /** The current head (entries and the last line's hash), to remember for a later {@link #audit(Path, Optional)}. */
  public Checkpoint checkpoint() throws LedgerException {
    return locked(() -> new Checkpoint(chain.height, chain.head));
  }

  // ---------------------------------------------------------------- port

  @Override
  public PreparedTx prepare(LedgerEntry entry) throws LedgerException {
    Objects.requireNonNull(entry, "entry");
    String network = locked(() -> chain.networkId);
    long nonce = RANDOM.nextLong();
    byte[] signed = signTx(network, nonce, entry);
    return new PreparedTx(LedgerKind.LOCAL, network, Bytes32.of(ProofRecord.keccak(signed)), signed,
        nonce, -1, entry);
  }

  @Override
  public void submit(PreparedTx tx) throws LedgerException {
    Objects.requireNonNull(tx, "tx");
    checkNetwork(tx);
    SignedTx decoded;
    try {
      decoded = SignedTx.decode(tx.signedBytes());
    } catch (IllegalArgumentException e) {
      throw new LedgerException(Reason.REJECTED, "transaction " + tx.txHash() + ": " + e.getMessage());
    }
    if (!decoded.hash().equals(tx.txHash()) || !decoded.entry().equals(tx.entry())
        || !decoded.network().equals(tx.networkId())) {
      throw new LedgerException(Reason.REJECTED,
          "transaction " + tx.txHash() + ": hash, entry or network do not match its signed bytes");
    }
    locked(() -> {
      if (byTxHash.containsKey(tx.txHash())) {
        return null; // idempotent: already on the ledger
      }
      append(tx.signedBytes());
      return null;
    });
  }

  @Override
  public TxStatus poll(PreparedTx tx) throws LedgerException {
    Objects.requireNonNull(tx, "tx");
    checkNetwork(tx);
    return locked(() -> {
      Stored s = byTxHash.get(tx.txHash());
      return s == null ? new TxStatus.Pending(false, "not found") : new TxStatus.Final(s.anchored().height(), 1);
    });
  }

  @Override
  public TxStatus awaitFinal(PreparedTx tx, Duration timeout) throws LedgerException {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      TxStatus s = poll(tx);
      if (s.isTerminal() || System.nanoTime() - deadline >= 0) {
        return s;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return s;
      }
    }
  }

  @Override
  public Optional<Anchored> find(Bytes32 root) throws LedgerException {
    Objects.requireNonNull(root, "root");
    return locked(() -> {
      for (Stored s : entries) {
        if (s.anchored().entry() instanceof LedgerEntry.BatchAnchor a && a.root().equals(root)) {
          return Optional.of(s.anchored());
        }
      }
      return Optional.empty();
    });
  }

  /** Cursor tokens are the decimal height to start from (1 = the first entry). */
  @Override
  public HistoryPage history(Cursor cursor, int limit) throws LedgerException {
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
    }
    long from;
    if (cursor.isStart()) {
      from = 1;
    } else {
      try {
        from = Long.parseLong(cursor.token());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a local ledger cursor: " + cursor.token());
      }
      if (from < 1) {
        throw new IllegalArgumentException("not a local ledger cursor: " + cursor.token());
      }
    }
    long start = from;
    return locked(() -> {
      List<Anchored> page = new ArrayList<>();
      for (long h = start; h <= entries.size() && page.size() < limit; h++) {
        page.add(entries.get((int) (h - 1)).anchored());
      }
      long next = start + page.size();
      return new HistoryPage(page,
          next <= entries.size() ? Optional.of(new Cursor(Long.toString(next))) : Optional.empty());
    });
  }

  @Override
  public LedgerInfo info() throws LedgerException {
    return locked(() -> new LedgerInfo(LedgerKind.LOCAL, chain.networkId, account(), chain.height,
        chain.height));
  }

  /** The signing account: {@code ed25519:} + the 32-byte public key in hex. */
  public String account() {
    return "ed25519:" + HEX.formatHex(publicKey);
  }

  /**
   * As the {@code EligibilityGate} contract, by {@link EligibilityRules} over this ledger's
   * history (chain id 0, the domain of this ledger's network id): the current counted grant for
   * the pair decides; it is eligible unless revoked (the pair is then on hold until reinstated),
   * its model deprecated, or {@code now} is at or after its {@code validUntil}.
   */
  @Override
  public EligibilityStatus eligibility(String subject, Bytes32 policyId, Instant now)
      throws LedgerException {
    String s = LedgerEntry.normaliseAddress(subject);
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(now, "now");
    return locked(() -> {
      List<Anchored> all = new ArrayList<>(entries.size());
      for (Stored st : entries) {
        all.add(st.anchored());
      }
      return EligibilityRules.status(all, s, policyId, 0, EligibilityDomain.ledger(chain.networkId), now);
    });
  }

  /** Audits this ledger's file under its lock, against the head this instance has seen. */
  public LedgerAudit audit() throws LedgerException {
    return locked(() -> auditChannel(channel, Optional.of(new Checkpoint(chain.height, chain.head))));
  }

  @Override
  public void close() {
    jvmLock.lock();
    try {
      if (!closed) {
        closed = true;
        channel.close();
      }
    } catch (IOException e) {
      // nothing left to release
    } finally {
      jvmLock.unlock();
    }
  }

  // ---------------------------------------------------------------- audit

  /** Audits a ledger file without opening it for writing (takes a shared lock). */
  public static LedgerAudit audit(Path file) throws LedgerException {
    return audit(file, Optional.empty());
  }

  /**
   * Audits a ledger file: verifies every line (framing, canonical form, heights, hash chain,
   * block and transaction signatures, network id, duplicates) and, if given, that the chain still
   * contains {@code checkpoint}. Never modifies the file.
   *
   * @throws LedgerException only if the file cannot be read ({@code STORAGE}) or locked ({@code
   *     LOCKED}); a damaged file is a {@link LedgerAudit.Tampered} result, not an exception
   */
  public static LedgerAudit audit(Path file, Optional<Checkpoint> checkpoint) throws LedgerException {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "cannot read " + file + ": " + e.getMessage(), e);
    }
    ReentrantLock jl = JVM_LOCKS.computeIfAbsent(real, p -> new ReentrantLock());
    try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ)) {
      if (!acquire(jl, DEFAULT_LOCK_TIMEOUT)) {
        throw new LedgerException(Reason.LOCKED, "the ledger " + file + " is busy in this process");
      }
      try (FileLock ignored = fileLock(ch, true, DEFAULT_LOCK_TIMEOUT, file)) {
        return auditChannel(ch, checkpoint);
      } finally {
        jl.unlock();
      }
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static LedgerAudit auditChannel(FileChannel ch, Optional<Checkpoint> checkpoint)
      throws IOException {
    Chain c = new Chain();
    LineReader r = new LineReader(ch, 0);
    Bytes32 atCheckpoint = null;
    while (true) {
      LineReader.Line line = r.next();
      if (line == null) {
        break;
      }
      long lineNo = c.height + 2;
      if (line.tooLong()) {
        return new LedgerAudit.Tampered(Problem.LINE_TOO_LONG, lineNo, lineNo - 1,
            "line is longer than " + MAX_LINE_BYTES + " bytes", c.height);
      }
      if (!line.terminated()) {
        return new LedgerAudit.Tampered(Problem.TORN_TAIL, lineNo, lineNo - 1,
            "the last line (" + line.bytes().length + " bytes) has no newline: an append was cut short",
            c.height);
      }
      LedgerAudit.Tampered t = c.feed(line.bytes(), lineNo);
      if (t != null) {
        return t;
      }
      if (checkpoint.isPresent() && c.height == checkpoint.get().height()) {
        atCheckpoint = c.head;
      }
    }
    if (c.networkId == null) {
      return new LedgerAudit.Tampered(Problem.BAD_GENESIS, 1, 0, "the file is empty: no genesis line", 0);
    }
    if (checkpoint.isPresent()) {
      Checkpoint cp = checkpoint.get();
      if (cp.height() > c.height) {
        return new LedgerAudit.Tampered(Problem.TRUNCATED, c.height + 2, c.height + 1,
            "the chain ends at height " + c.height + " but height " + cp.height() + " was seen before",
            c.height);
      }
      if (!cp.hash().equals(atCheckpoint)) {
        return new LedgerAudit.Tampered(Problem.TRUNCATED, cp.height() + 1, cp.height(),
            "line " + (cp.height() + 1) + " is not the one seen before (head hash differs)", cp.height());
      }
    }
    return new LedgerAudit.Intact(c.networkId, c.height, c.head);
  }

  // ---------------------------------------------------------------- internals

  @FunctionalInterface
  private interface Action<T> {
    T run() throws LedgerException, IOException;
  }

  /** Runs {@code a} holding the in-JVM lock and the exclusive file lock, after a refresh. */
  private <T> T locked(Action<T> a) throws LedgerException {
    if (!acquire(jvmLock, lockTimeout)) {
      throw new LedgerException(Reason.LOCKED, "the local ledger " + file + " is busy in this process");
    }
    try {
      if (closed) {
        throw new IllegalStateException("the local ledger " + file + " is closed");
      }
      try (FileLock ignored = fileLock(channel, false, lockTimeout, file)) {
        if (chain != null) {
          refresh();
        }
        return a.run();
      }
    } catch (IOException e) {
      throw new LedgerException(Reason.STORAGE, "local ledger " + file + ": " + e.getMessage(), e);
    } finally {
      jvmLock.unlock();
    }
  }

  private static boolean acquire(ReentrantLock l, Duration timeout) {
    try {
      return l.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static FileLock fileLock(FileChannel ch, boolean shared, Duration timeout, Path file)
      throws IOException, LedgerException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      FileLock l;
      try {
        l = ch.tryLock(0, Long.MAX_VALUE, shared);
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l != null) {
        return l;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new LedgerException(Reason.LOCKED,
            "another process holds the lock of " + file + " (waited " + timeout.toMillis() + " ms)");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerException(Reason.LOCKED, "interrupted while waiting for the lock of " + file);
      }
    }
  }

  private void checkNetwork(PreparedTx tx) throws LedgerException {
    String network = locked(() -> chain.networkId);
    if (tx.kind() != LedgerKind.LOCAL || !tx.networkId().equals(network)) {
      throw new LedgerException(Reason.WRONG_CHAIN, "transaction " + tx.txHash() + " is for "
          + tx.kind() + " " + tx.networkId() + ", this ledger is " + network);
    }
  }

  /** Reads and verifies what was appended since the last refresh; repairs a torn tail. */
  private void refresh() throws IOException, LedgerException {
    if (corruption != null) {
      throw corrupt();
    }
    if (chain == null) {
      chain = new Chain();
      verifiedEnd = 0;
    }
    long size = channel.size();
    if (size < verifiedEnd) {
      corruption = new LedgerAudit.Tampered(Problem.TRUNCATED, chain.height + 1, chain.height,
          "the file shrank from " + verifiedEnd + " to " + size + " bytes", chain.height);
      throw corrupt();
    }
    LineReader r = new LineReader(channel, verifiedEnd);
    while (true) {
      long lineStart = r.position();
      LineReader.Line line = r.next();
      if (line == null) {
        return;
      }
      long lineNo = chain.height + 2;
      if (line.tooLong()) {
        corruption = new LedgerAudit.Tampered(Problem.LINE_TOO_LONG, lineNo, lineNo - 1,
            "line is longer than " + MAX_LINE_BYTES + " bytes", chain.height);
        throw corrupt();
      }
      if (!line.terminated()) {
        // A crashed append: it was never fsync'd and acknowledged, so cutting it loses nothing.
        channel.truncate(lineStart);
        channel.force(true);
        recoveries.add("cut a torn last line at line " + lineNo + " (" + line.bytes().length
            + " bytes without a newline, from an interrupted append)");
        return;
      }
      LedgerAudit.Tampered t = chain.feed(line.bytes(), lineNo);
      if (t != null) {
        corruption = t;
        throw corrupt();
      }
      verifiedEnd = r.position();
      if (chain.height > 0 && chain.lastAnchored != null && chain.lastAnchoredHeight == chain.height) {
        Stored s = new Stored(chain.lastAnchored, chain.head);
        entries.add(s);
        byTxHash.put(s.anchored().txHash(), s);
      }
    }
  }

  private LedgerException corrupt() {
    LedgerAudit.Tampered t = corruption;
    return new LedgerException(Reason.CORRUPT_LEDGER, "local ledger " + file + " line "
        + t.lineNumber() + " (height " + t.height() + "): " + t.problem() + ": " + t.detail());
  }

  private void writeGenesis() throws IOException, LedgerException {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    ObjectNode body = EntryCodec.JSON.createObjectNode();
    body.put("height", 0);
    body.put("type", "genesis");
    body.put("ledger", HEX.formatHex(id));
    body.put("time", System.currentTimeMillis());
    body.put("prev", Bytes32.ZERO.toHex());
    writeLine(body);
  }

  private void append(byte[] signedTx) throws IOException, LedgerException {
    ObjectNode body = EntryCodec.JSON.createObjectNode();
    body.put("height", chain.height + 1);
    body.put("type", "tx");
    body.put("time", Math.max(System.currentTimeMillis(), chain.lastTime));
    body.put("prev", chain.head.toHex());
    body.put("tx", new String(signedTx, StandardCharsets.UTF_8));
    writeLine(body);
    refresh();
  }

  /** Completes {@code body} with hash, signer and signature; writes it at the end; fsyncs. */
  private void writeLine(ObjectNode body) throws IOException, LedgerException {
    byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Bytes32 hash = Bytes32.of(ProofRecord.keccak(bodyBytes));
    ObjectNode line = body.deepCopy();
    line.put("hash", hash.toHex());
    line.put("signer", HEX.formatHex(publicKey));
    line.put("sig", HEX.formatHex(sign(key, BLOCK_DOMAIN, hash.toByteArray())));
    byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_LINE_BYTES) {
      throw new LedgerException(Reason.ENTRY_TOO_LARGE,
          "a ledger line would be " + bytes.length + " bytes; at most " + MAX_LINE_BYTES);
    }
    long at = channel.size();
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    try {
      while (buf.hasRemaining()) {
        at += channel.write(buf, at);
      }
      channel.force(true); // durability: the append is final once this returns
    } catch (IOException e) {
      try {
        channel.truncate(at - buf.position());
      } catch (IOException ignored) {
        // the torn tail is cut on the next refresh
      }
      throw e;
    }
  }

  private byte[] signTx(String network, long nonce, LedgerEntry entry) {
    ObjectNode unsigned = unsignedTx(network, HEX.formatHex(publicKey), nonce, entry);
    byte[] msg = unsigned.toString().getBytes(StandardCharsets.UTF_8);
    ObjectNode signed = unsigned.deepCopy();
    signed.put("sig", HEX.formatHex(sign(key, TX_DOMAIN, msg)));
    return signed.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode unsignedTx(String network, String signerHex, long nonce, LedgerEntry entry) {
    ObjectNode o = EntryCodec.JSON.createObjectNode();
    o.put("network", network);
    o.put("signer", signerHex);
    o.put("nonce", HEX.toHexDigits(nonce));
    o.set("entry", EntryCodec.toJson(entry));
    return o;
  }

  private static byte[] sign(Ed25519PrivateKeyParameters k, String domain, byte[] msg) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, k);
    byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
    s.update(d, 0, d.length);
    s.update(msg, 0, msg.length);
    return s.generateSignature();
  }

  private static boolean verifySig(byte[] pub, String domain, byte[] msg, byte[] sig) {
    try {
      Ed25519Signer s = new Ed25519Signer();
      s.init(false, new Ed25519PublicKeyParameters(pub, 0));
      byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
      s.update(d, 0, d.length);
      s.update(msg, 0, msg.length);
      return sig.length == 64 && s.verifySignature(sig);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A decoded, signature-checked transaction. */
  record SignedTx(String network, long nonce, LedgerEntry entry, Bytes32 hash) {
    static SignedTx decode(byte[] bytes) {
      if (bytes.length > MAX_LINE_BYTES) {
        throw new IllegalArgumentException("transaction too large");
      }
      JsonNode n;
      try {
        n = EntryCodec.JSON.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalArgumentException("transaction is not JSON");
      }
      if (n == null || !n.isObject() || n.size() != 5 || !n.path("network").isTextual()
          || !n.path("signer").isTextual() || !n.path("nonce").isTextual() || !n.path("sig").isTextual()) {
        throw new IllegalArgumentException("transaction needs network, signer, nonce, entry, sig");
      }
      String network = n.get("network").textValue();
      byte[] signer;
      byte[] sig;
      long nonce;
      try {
        signer = HEX.parseHex(n.get("signer").textValue());
        sig = HEX.parseHex(n.get("sig").textValue());
        String nh = n.get("nonce").textValue();
        if (nh.length() != 16) {
          throw new IllegalArgumentException("nonce");
        }
        nonce = HEX.fromHexDigitsToLong(nh);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("transaction has malformed hex fields");
      }
      if (signer.length != 32) {
        throw new IllegalArgumentException("signer must be a 32-byte Ed25519 public key");
      }
      LedgerEntry entry = EntryCodec.fromJson(n.get("entry"));
      ObjectNode unsigned = unsignedTx(network, HEX.formatHex(signer), nonce, entry);
      byte[] msg = unsigned.toString().getBytes(StandardCharsets.UTF_8);
      ObjectNode canonical = unsigned.deepCopy();
      canonical.put("sig", HEX.formatHex(sig));
      if (!Arrays.equals(canonical.toString().getBytes(StandardCharsets.UTF_8), bytes)) {
        throw new IllegalArgumentException("transaction is not in canonical form");
      }
      if (!verifySig(signer, TX_DOMAIN, msg, sig)) {
        throw new IllegalArgumentException("transaction signature does not verify");
      }
      return new SignedTx(network, nonce, entry, Bytes32.of(ProofRecord.keccak(bytes)));
    }
  }

  /** The hash-chain verifier, fed one complete line at a time (shared by refresh and audit). */
  private static final class Chain {
    String networkId;
    long height = -1;
    Bytes32 head = Bytes32.ZERO;
    long lastTime;
    Anchored lastAnchored;
    long lastAnchoredHeight = -1;
    final java.util.Set<Bytes32> txHashes = new java.util.HashSet<>();

    /** Verifies one line; returns the problem, or null and advances. */
    LedgerAudit.Tampered feed(byte[] lineBytes, long lineNo) {
      long expected = height + 1;
      JsonNode n;
      try {
        n = EntryCodec.JSON.readTree(lineBytes);
      } catch (IOException e) {
        return bad(Problem.MALFORMED, lineNo, expected, "not JSON");
      }
      boolean genesis = expected == 0;
      List<String> fields = genesis
          ? List.of("height", "type", "ledger", "time", "prev", "hash", "signer", "sig")
          : List.of("height", "type", "time", "prev", "tx", "hash", "signer", "sig");
      if (n == null || !n.isObject() || !sameFields(n, fields)) {
        return bad(genesis ? Problem.BAD_GENESIS : Problem.MALFORMED, lineNo, expected,
            "expected exactly the fields " + fields);
      }
      if (!n.get("height").canConvertToLong() || !n.get("time").canConvertToLong()
          || !n.get("height").isIntegralNumber() || !n.get("time").isIntegralNumber()) {
        return bad(Problem.MALFORMED, lineNo, expected, "height and time must be integers");
      }
      for (String f : fields) {
        if (!f.equals("height") && !f.equals("time") && !n.get(f).isTextual()) {
          return bad(Problem.MALFORMED, lineNo, expected, f + " must be a string");
        }
      }
      String type = n.get("type").textValue();
      if (!type.equals(genesis ? "genesis" : "tx")) {
        return bad(genesis ? Problem.BAD_GENESIS : Problem.MALFORMED, lineNo, expected,
            "type must be " + (genesis ? "genesis" : "tx") + ", got '" + abbreviate(type) + "'");
      }
      long h = n.get("height").longValue();
      if (h != expected) {
        return bad(Problem.HEIGHT_GAP, lineNo, expected, "height is " + h + ", expected " + expected
            + " (a line was deleted, inserted or moved)");
      }
      // canonical form: rebuild the line from its fields and compare byte for byte
      ObjectNode body = EntryCodec.JSON.createObjectNode();
      body.put("height", h);
      body.put("type", type);
      if (genesis) {
        body.put("ledger", n.get("ledger").textValue());
      }
      body.put("time", n.get("time").longValue());
      body.put("prev", n.get("prev").textValue());
      if (!genesis) {
        body.put("tx", n.get("tx").textValue());
      }
      ObjectNode full = body.deepCopy();
      full.put("hash", n.get("hash").textValue());
      full.put("signer", n.get("signer").textValue());
      full.put("sig", n.get("sig").textValue());
      if (!Arrays.equals(full.toString().getBytes(StandardCharsets.UTF_8), lineBytes)) {
        return bad(Problem.MALFORMED, lineNo, expected, "line is not in canonical form");
      }
      if (!LOWER_HEX_64.matcher(n.get("prev").textValue()).matches()
          || !LOWER_HEX_64.matcher(n.get("hash").textValue()).matches()
          || !LOWER_HEX_64.matcher(n.get("signer").textValue()).matches()
          || !LOWER_HEX_128.matcher(n.get("sig").textValue()).matches()) {
        return bad(Problem.MALFORMED, lineNo, expected,
            "prev, hash and signer must be 64 and sig 128 lowercase hex digits");
      }
      Bytes32 prev;
      Bytes32 hash;
      byte[] signer;
      byte[] sig;
      try {
        prev = Bytes32.fromHex(n.get("prev").textValue());
        hash = Bytes32.fromHex(n.get("hash").textValue());
        signer = HEX.parseHex(n.get("signer").textValue());
        sig = HEX.parseHex(n.get("sig").textValue());
      } catch (IllegalArgumentException e) {
        return bad(Problem.MALFORMED, lineNo, expected, "prev/hash/signer/sig must be hex");
      }
      if (!prev.equals(head)) {
        return bad(Problem.BROKEN_LINK, lineNo, expected,
            "prev " + prev + " is not the hash of the previous line " + head);
      }
      Bytes32 computed = Bytes32.of(ProofRecord.keccak(body.toString().getBytes(StandardCharsets.UTF_8)));
      if (!computed.equals(hash)) {
        return bad(Problem.HASH_MISMATCH, lineNo, expected,
            "the line's content hashes to " + computed + ", not its recorded hash " + hash + " (edited)");
      }
      if (signer.length != 32 || !verifySig(signer, BLOCK_DOMAIN, hash.toByteArray(), sig)) {
        return bad(Problem.BAD_SIGNATURE, lineNo, expected, "the line's signature does not verify");
      }
      long time = n.get("time").longValue();
      if (genesis) {
        String ledger = n.get("ledger").textValue();
        if (!LOWER_HEX_64.matcher(ledger).matches()) {
          return bad(Problem.BAD_GENESIS, lineNo, expected, "ledger id must be 64 lowercase hex digits");
        }
        if (!prev.isZero()) {
          return bad(Problem.BAD_GENESIS, lineNo, expected, "genesis prev must be zero");
        }
        networkId = NETWORK_PREFIX + ledger;
      } else {
        if (time < lastTime) {
          return bad(Problem.MALFORMED, lineNo, expected, "time goes backwards");
        }
        byte[] txBytes = n.get("tx").textValue().getBytes(StandardCharsets.UTF_8);
        SignedTx tx;
        try {
          tx = SignedTx.decode(txBytes);
        } catch (IllegalArgumentException e) {
          Problem p = e.getMessage().contains("signature") ? Problem.BAD_SIGNATURE : Problem.MALFORMED;
          return bad(p, lineNo, expected, "transaction: " + e.getMessage());
        }
        if (!tx.network().equals(networkId)) {
          return bad(Problem.WRONG_NETWORK, lineNo, expected,
              "transaction is for " + abbreviate(tx.network()) + ", this ledger is " + networkId);
        }
        if (!txHashes.add(tx.hash())) {
          return bad(Problem.DUPLICATE_TX, lineNo, expected, "transaction " + tx.hash() + " appears twice");
        }
        lastAnchored = new Anchored(tx.entry(), tx.hash(), h, 0, Instant.ofEpochMilli(time), true,
            "ed25519:" + n.get("signer").textValue());
        lastAnchoredHeight = h;
      }
      lastTime = time;
      height = h;
      head = hash;
      return null;
    }

    private LedgerAudit.Tampered bad(Problem p, long lineNo, long expectedHeight, String detail) {
      return new LedgerAudit.Tampered(p, lineNo, expectedHeight, detail, Math.max(0, height));
    }

    private static boolean sameFields(JsonNode n, List<String> fields) {
      if (n.size() != fields.size()) {
        return false;
      }
      Iterator<String> it = n.fieldNames();
      for (String f : fields) {
        if (!it.hasNext() || !it.next().equals(f)) {
          return false;
        }
      }
      return true;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** Reads lines from a channel with a bound on their length; never buffers an over-long line. */
  private static final class LineReader {
    record Line(byte[] bytes, boolean terminated, boolean tooLong) {}

    private final FileChannel ch;
    private long pos;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private long bufStart;

    LineReader(FileChannel ch, long start) {
      this.ch = ch;
      this.pos = start;
      this.bufStart = start;
      buf.limit(0);
    }

    long position() {
      return pos;
    }

    /** The next line, or null at the end of the file. */
    Line next() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      boolean any = false;
      while (true) {
        if (!buf.hasRemaining()) {
          buf.clear();
          bufStart = pos;
          int n = ch.read(buf, pos);
          buf.flip();
          if (n <= 0) {
            return any ? new Line(out.toByteArray(), false, false) : null;
          }
        }
        byte b = buf.get();
        pos++;
        any = true;
        if (b == '\n') {
          return new Line(out.toByteArray(), true, false);
        }
        if (out.size() >= MAX_LINE_BYTES) {
          return new Line(new byte[0], false, true);
        }
        out.write(b);
      }
    }
  }
}
