package io.veridict.chain.xrpl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedInteger;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
import io.veridict.chain.EligibilityDomain;
import io.veridict.chain.EligibilityRules;
import io.veridict.chain.EligibilityStatus;
import io.veridict.chain.HistoryPage;
import io.veridict.chain.LedgerAnchor;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import io.veridict.chain.LedgerInfo;
import io.veridict.chain.LedgerKind;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.crypto.signing.SingleSignedTransaction;
import org.xrpl.xrpl4j.crypto.signing.bc.BcSignatureService;
import org.xrpl.xrpl4j.model.transactions.AccountSet;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.ImmutableAccountSet;
import org.xrpl.xrpl4j.model.transactions.Memo;
import org.xrpl.xrpl4j.model.transactions.MemoWrapper;
import org.xrpl.xrpl4j.model.transactions.NetworkId;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * {@link LedgerAnchor} on the XRP Ledger. Each entry is an {@code AccountSet} transaction (no
 * flags: it changes nothing on the account) carrying one {@link XrplMemo}. xrpl4j-core 4.0.3 does
 * the binary codec and the signing; the JSON-RPC transport ({@link XrplRpc}) is ours.
 *
 * <p>Follows XRPL's "Reliable Transaction Submission":
 *
 * <ol>
 *   <li>{@link #prepare}: {@code Fee} from the {@code fee} method (refused above the cap: {@code
 *       FEE_TOO_HIGH}), {@code Sequence} from {@code account_info} (and this instance's in-flight
 *       transactions: it is the only sequence owner of its key), {@code LastLedgerSequence} =
 *       latest validated ledger + {@link XrplConfig#lastLedgerOffset()}, always set; {@code
 *       NetworkID} only when the network id is above 1024 (as rippled requires). The hash is
 *       computed locally: SHA-512Half of the prefix {@code 0x54584E00} ("TXN\0") and the signed
 *       blob.
 *   <li>{@link #submit}: {@code submit} with the blob. {@code tesSUCCESS}, {@code terQUEUED},
 *       {@code tefALREADY} and {@code tec*} (included, fee claimed) return normally; {@code
 *       tefPAST_SEQ} returns normally if the same hash is already in, else {@code NONCE_CONFLICT};
 *       {@code tefMAX_LEDGER} is {@code EXPIRED}; {@code telINSUF_FEE_P} is {@code FEE_TOO_HIGH}
 *       (the open-ledger fee rose above what was signed; retry later); {@code tem*}, other {@code
 *       tef*} / {@code tel*} are {@code REJECTED}; network id mismatches are {@code WRONG_CHAIN}.
 *   <li>{@link #poll}: {@code tx} by hash within [{@code LastLedgerSequence - offset}, {@code
 *       LastLedgerSequence}]: {@code FINAL} only with {@code validated: true} and {@code
 *       tesSUCCESS}; {@code FAILED} for a validated {@code tec*}; {@code EXPIRED} only when the
 *       latest validated ledger is past {@code LastLedgerSequence}, the transaction is not found
 *       and the server says it searched the whole range ({@code searched_all}).
 * </ol>
 *
 * <p>{@link #history} and {@link #find} read {@code account_tx} (validated ledgers, oldest first)
 * with its {@code marker} as the cursor, keep successful {@code AccountSet}s of this account with a
 * well-formed Veridict memo and skip everything else.
 */
public final class XrplLedgerAnchor implements LedgerAnchor {

  /** The hash prefix of a signed transaction, "TXN\0" (rippled {@code HashPrefix::transactionID}). */
  static final byte[] TX_HASH_PREFIX = {0x54, 0x58, 0x4E, 0x00};

  /** Seconds from the Unix epoch to the Ripple epoch (2000-01-01T00:00:00Z). */
  static final long RIPPLE_EPOCH = 946_684_800L;

  /** Network ids above this need the {@code NetworkID} field; at or below it, it must be absent. */
  static final long NETWORK_ID_FIELD_THRESHOLD = 1024;

  private static final Set<String> OWNED_ACCOUNTS = ConcurrentHashMap.newKeySet();
  private static final HexFormat HEX = HexFormat.of();

  private final XrplConfig config;
  private final XrplRpc rpc;
  private final XrplSigningKey key;
  private final PublicKey publicKey;
  private final Address account;
  private final BcSignatureService signer = new BcSignatureService();
  private final TreeMap<Long, Long> inFlight = new TreeMap<>(); // sequence -> LastLedgerSequence
  private volatile Long serverNetworkId;
  private volatile boolean closed;

  private XrplLedgerAnchor(XrplConfig config, XrplSigningKey key) {
    this.config = config;
    this.rpc = new XrplRpc(config.rpc(), config.requestTimeout());
    this.key = key;
    this.publicKey = signer.derivePublicKey(key.privateKey());
    this.account = publicKey.deriveAddress();
  }

  /**
   * An adapter for {@code config.rpc()} signing with {@code key}. Contacts nothing yet.
   *
   * @throws IllegalStateException if another open adapter in this JVM owns the same account (one
   *     sequence owner per key)
   */
  public static XrplLedgerAnchor connect(XrplConfig config, XrplSigningKey key) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(key, "key");
    XrplLedgerAnchor a = new XrplLedgerAnchor(config, key);
    if (!OWNED_ACCOUNTS.add(a.account.value())) {
      throw new IllegalStateException("account " + a.account.value()
          + " already has an open XrplLedgerAnchor in this process (one sequence owner per key)");
    }
    return a;
  }

  /** The classic address ({@code r...}) of the signing key. */
  public String account() {
    return account.value();
  }

  // ------------------------------------------------------------------ prepare / submit

  @Override
  public synchronized PreparedTx prepare(LedgerEntry entry) throws LedgerException {
    Objects.requireNonNull(entry, "entry");
    ensureOpen();
    XrplMemo memo = XrplMemo.of(entry); // 0. size check before touching the network
    long network = serverNetworkId();

    // 1. fee, with the cap
    JsonNode fee = call("fee", obj());
    JsonNode drops = fee.path("drops");
    long feeDrops = Math.max(XrplRpc.uint(drops, "base_fee", "fee"), XrplRpc.uint(drops, "open_ledger_fee", "fee"));
    if (feeDrops > config.maxFeeDrops()) {
      throw new LedgerException(Reason.FEE_TOO_HIGH, "the network asks " + feeDrops
          + " drops; the cap is " + config.maxFeeDrops());
    }
    // 2. sequence: the account's next one, after our own in-flight transactions
    long validated = validatedIndex();
    long accountSeq = accountSequence();
    inFlight.headMap(accountSeq).clear();
    inFlight.values().removeIf(last -> last < validated);
    long sequence = inFlight.isEmpty() ? accountSeq : Math.max(accountSeq, inFlight.lastKey() + 1);
    // 3. LastLedgerSequence, always
    long lastLedger = validated + config.lastLedgerOffset();

    PreparedTx tx = build(entry, memo, network, feeDrops, sequence, lastLedger);
    inFlight.put(sequence, lastLedger);
    return tx;
  }

  /**
   * Builds and signs the {@code AccountSet} (no I/O): the offline half of {@link #prepare}, also
   * used by the known-answer tests.
   */
  PreparedTx build(LedgerEntry entry, XrplMemo memo, long network, long feeDrops, long sequence,
      long lastLedger) {
    ImmutableAccountSet.Builder b = AccountSet.builder()
        .account(account)
        .fee(XrpCurrencyAmount.ofDrops(feeDrops))
        .sequence(UnsignedInteger.valueOf(sequence))
        .lastLedgerSequence(UnsignedInteger.valueOf(lastLedger))
        .signingPublicKey(publicKey)
        .addMemos(MemoWrapper.builder().memo(Memo.builder()
            .memoType(memo.memoTypeHex())
            .memoFormat(memo.memoFormatHex())
            .memoData(memo.memoDataHex())
            .build()).build());
    if (network > NETWORK_ID_FIELD_THRESHOLD) {
      b.networkId(NetworkId.of(UnsignedInteger.valueOf(network)));
    }
    SingleSignedTransaction<AccountSet> signed = signer.sign(key.privateKey(), b.build());
    byte[] blob = signed.signedTransactionBytes().toByteArray();
    Bytes32 hash = transactionHash(blob);
    if (!hash.toHex().equalsIgnoreCase(signed.hash().value())) {
      throw new IllegalStateException("local transaction hash differs from xrpl4j's: " + hash);
    }
    return new PreparedTx(LedgerKind.XRPL, Long.toString(network), hash, blob, sequence, lastLedger, entry);
  }

  /** SHA-512Half(0x54584E00 || blob): the XRPL transaction id. */
  static Bytes32 transactionHash(byte[] signedBlob) {
    try {
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      sha512.update(TX_HASH_PREFIX);
      byte[] full = sha512.digest(signedBlob);
      return Bytes32.of(Arrays.copyOf(full, 32));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void submit(PreparedTx tx) throws LedgerException {
    checkBinding(tx);
    ObjectNode p = obj();
    p.put("tx_blob", HEX.withUpperCase().formatHex(tx.signedBytes()));
    JsonNode r = call("submit", p);
    String code = XrplRpc.abbreviate(r.path("engine_result").asText(""));
    String message = r.path("engine_result_message").asText("");
    String what = "submit " + tx.txHash() + ": " + code + " " + XrplRpc.abbreviate(message);
    if (code.equals("tesSUCCESS") || code.equals("terQUEUED") || code.equals("tefALREADY")
        || code.equals("terPRE_SEQ") || code.startsWith("tec")) {
      return; // accepted, queued, held, already in, or included with a fee claimed: poll decides
    }
    switch (code) {
      case "tefPAST_SEQ" -> {
        TxStatus s = poll(tx);
        if (s instanceof TxStatus.Pending p2 && !p2.known()) {
          throw new LedgerException(Reason.NONCE_CONFLICT, what + " (another transaction used sequence "
              + tx.sequence() + ")");
        }
        return; // the same hash is already in
      }
      case "tefMAX_LEDGER" -> throw new LedgerException(Reason.EXPIRED, what);
      case "telINSUF_FEE_P" -> throw new LedgerException(Reason.FEE_TOO_HIGH,
          what + " (the open-ledger fee is above the signed fee; retry later or re-prepare)");
      case "terINSUF_FEE_B", "terNO_ACCOUNT", "tecUNFUNDED" ->
          throw new LedgerException(Reason.INSUFFICIENT_FUNDS, what);
      case "telWRONG_NETWORK", "telREQUIRES_NETWORK_ID", "telNETWORK_ID_MAKES_TX_NON_CANONICAL" ->
          throw new LedgerException(Reason.WRONG_CHAIN, what);
      default -> {
        if (code.isEmpty()) {
          throw new LedgerException(Reason.BAD_RESPONSE, "submit: no engine_result in the answer");
        }
        throw new LedgerException(Reason.REJECTED, what);
      }
    }
  }

  // ------------------------------------------------------------------ status

  @Override
  public TxStatus poll(PreparedTx tx) throws LedgerException {
    checkBinding(tx);
    long last = tx.lastValidHeight();
    ObjectNode p = obj();
    p.put("transaction", tx.txHash().toHex().toUpperCase(java.util.Locale.ROOT));
    p.put("binary", false);
    if (last > 0) {
      p.put("min_ledger", Math.max(1, last - config.lastLedgerOffset()));
      p.put("max_ledger", last);
    }
    JsonNode r;
    try {
      r = rpc.call("tx", p);
    } catch (XrplRpc.RpcError e) {
      if (!e.code.equals("txnNotFound")) {
        throw new LedgerException(Reason.BAD_RESPONSE, "tx " + tx.txHash() + ": " + e.getMessage());
      }
      long validated = validatedIndex();
      boolean searchedAll = e.result != null && e.result.path("searched_all").asBoolean(false);
      if (last > 0 && validated > last && searchedAll) {
        return new TxStatus.Expired(last, validated);
      }
      return new TxStatus.Pending(false, validated > last && last > 0
          ? "not found; the server lacks ledgers " + Math.max(1, last - config.lastLedgerOffset()) + ".." + last
          : "not found");
    }
    boolean validated = r.path("validated").asBoolean(false);
    String result = r.path("meta").path("TransactionResult").asText("");
    if (!validated) {
      if (r.has("ledger_index") && r.get("ledger_index").canConvertToLong()) {
        return new TxStatus.Included(r.get("ledger_index").asLong(), 0, 1);
      }
      return new TxStatus.Pending(true, "in the open ledger or queue");
    }
    long height = XrplRpc.uint(r, "ledger_index", "tx");
    if (result.equals("tesSUCCESS")) {
      return new TxStatus.Final(height, 1);
    }
    if (result.isEmpty()) {
      throw new LedgerException(Reason.BAD_RESPONSE, "tx " + tx.txHash() + ": validated without a TransactionResult");
    }
    return new TxStatus.Failed(result, "validated with " + result, height);
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
        Thread.sleep(Math.max(1, Math.min(config.pollInterval().toMillis(),
            Math.max(1, (deadline - System.nanoTime()) / 1_000_000))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return s;
      }
    }
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<Anchored> find(Bytes32 root) throws LedgerException {
    Objects.requireNonNull(root, "root");
    Cursor c = Cursor.START;
    for (int page = 0; page < config.maxScanPages(); page++) {
      HistoryPage p = history(c, 200);
      for (Anchored a : p.entries()) {
        if (a.entry() instanceof LedgerEntry.BatchAnchor b && b.root().equals(root)) {
          return Optional.of(a);
        }
      }
      if (p.next().isEmpty()) {
        return Optional.empty();
      }
      c = p.next().get();
    }
    throw new LedgerException(Reason.UNSUPPORTED, "the account history is longer than "
        + config.maxScanPages() + " pages; raise maxScanPages");
  }

  /**
   * Cursor tokens are {@code m} + base64url of rippled's {@code account_tx} marker. Only entries in
   * validated ledgers are returned (all final).
   */
  @Override
  public HistoryPage history(Cursor cursor, int limit) throws LedgerException {
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
    }
    ensureOpen();
    ObjectNode p = obj();
    p.put("account", account.value());
    p.put("ledger_index_min", -1);
    p.put("ledger_index_max", -1);
    p.put("forward", true);
    p.put("limit", limit);
    p.put("api_version", 1);
    if (!cursor.isStart()) {
      p.set("marker", decodeMarker(cursor));
    }
    JsonNode r = call("account_tx", p);
    JsonNode txs = r.get("transactions");
    if (txs == null || !txs.isArray() || txs.size() > Math.max(limit, 1000)) {
      throw new LedgerException(Reason.BAD_RESPONSE, "account_tx: transactions missing or too many");
    }
    List<Anchored> out = new ArrayList<>();
    for (JsonNode t : txs) {
      parseAnchored(t).ifPresent(out::add);
    }
    JsonNode marker = r.get("marker");
    Optional<Cursor> next = marker == null || marker.isNull() ? Optional.empty() : Optional.of(encodeMarker(marker));
    return new HistoryPage(out, next);
  }

  /** One {@code account_tx} element (API v1 {@code tx} or v2 {@code tx_json}) → a Veridict entry, or empty. */
  private Optional<Anchored> parseAnchored(JsonNode t) {
    JsonNode tx = t.has("tx_json") ? t.get("tx_json") : t.get("tx");
    JsonNode meta = t.get("meta");
    if (tx == null || !tx.isObject() || meta == null || !meta.isObject()) {
      return Optional.empty();
    }
    if (!t.path("validated").asBoolean(false)
        || !"AccountSet".equals(tx.path("TransactionType").asText())
        || !account.value().equals(tx.path("Account").asText())
        || !"tesSUCCESS".equals(meta.path("TransactionResult").asText())) {
      return Optional.empty();
    }
    Optional<LedgerEntry> entry = XrplMemo.decode(tx.get("Memos"));
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    String hash = t.has("hash") ? t.get("hash").asText() : tx.path("hash").asText();
    JsonNode li = t.has("ledger_index") ? t.get("ledger_index") : tx.get("ledger_index");
    try {
      Bytes32 h = Bytes32.fromHex(hash);
      long height = li == null ? -1 : li.asLong(-1);
      long position = meta.path("TransactionIndex").asLong(-1);
      long date = tx.path("date").asLong(t.path("date").asLong(0));
      if (height < 0 || position < 0 || date < 0) {
        return Optional.empty();
      }
      return Optional.of(new Anchored(entry.get(), h, height, position,
          Instant.ofEpochSecond(RIPPLE_EPOCH + date), true, tx.path("Account").asText(t.path("Account").asText(""))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Cursor encodeMarker(JsonNode marker) throws LedgerException {
    String token = "m" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(marker.toString().getBytes(StandardCharsets.UTF_8));
    if (token.length() > Cursor.MAX_TOKEN_LENGTH) {
      throw new LedgerException(Reason.BAD_RESPONSE, "account_tx: marker too large for a cursor");
    }
    return new Cursor(token);
  }

  private static JsonNode decodeMarker(Cursor c) {
    String t = c.token();
    try {
      if (!t.startsWith("m")) {
        throw new IllegalArgumentException("prefix");
      }
      JsonNode n = XrplRpc.JSON.readTree(Base64.getUrlDecoder().decode(t.substring(1)));
      if (n == null || n.isMissingNode() || n.isNull()) {
        throw new IllegalArgumentException("empty");
      }
      return n;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an XRPL history cursor: " + XrplRpc.abbreviate(t));
    }
  }

  @Override
  public LedgerInfo info() throws LedgerException {
    ensureOpen();
    long network = serverNetworkId();
    long validated = validatedIndex();
    ObjectNode p = obj();
    p.put("ledger_index", "closed");
    long closed = XrplRpc.uint(call("ledger", p), "ledger_index", "ledger");
    return new LedgerInfo(LedgerKind.XRPL, Long.toString(network), account.value(),
        Math.max(closed, validated), validated);
  }

  /** As the {@code EligibilityGate} contract, over the validated history of this account. */
  @Override
  public EligibilityStatus eligibility(String subject, Bytes32 policyId, Instant now)
      throws LedgerException {
    String s = LedgerEntry.normaliseAddress(subject);
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(now, "now");
    List<Anchored> all = new java.util.ArrayList<>();
    Cursor c = Cursor.START;
    for (int page = 0; ; page++) {
      if (page >= config.maxScanPages()) {
        throw new LedgerException(Reason.UNSUPPORTED, "the account history is longer than "
            + config.maxScanPages() + " pages; raise maxScanPages");
      }
      HistoryPage p = history(c, 200);
      all.addAll(p.entries());
      if (p.next().isEmpty()) {
        break;
      }
      c = p.next().get();
    }
    return EligibilityRules.status(all, s, policyId, 0, EligibilityDomain.ledger(Long.toString(serverNetworkId())), now);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      OWNED_ACCOUNTS.remove(account.value());
    }
  }

  // ------------------------------------------------------------------ helpers

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this XrplLedgerAnchor is closed");
    }
  }

  private void checkBinding(PreparedTx tx) throws LedgerException {
    Objects.requireNonNull(tx, "tx");
    ensureOpen();
    long network = serverNetworkId();
    if (tx.kind() != LedgerKind.XRPL || !tx.networkId().equals(Long.toString(network))) {
      throw new LedgerException(Reason.WRONG_CHAIN, "transaction " + tx.txHash() + " is for " + tx.kind()
          + " network " + tx.networkId() + "; the node at " + io.veridict.chain.internal.Endpoints.redacted(config.rpc()) + " is XRPL network " + network);
    }
  }

  /** The server's network id ({@code server_info.info.network_id}, 0 when absent), re-read on every call. */
  private long serverNetworkId() throws LedgerException {
    JsonNode info = call("server_info", obj()).path("info");
    if (!info.isObject()) {
      throw new LedgerException(Reason.BAD_RESPONSE, "server_info: no info object");
    }
    long id = info.has("network_id") ? XrplRpc.uint(info, "network_id", "server_info") : 0;
    if (id > 0xFFFF_FFFFL) {
      throw new LedgerException(Reason.BAD_RESPONSE, "server_info: network_id out of range");
    }
    serverNetworkId = id;
    return id;
  }

  private long validatedIndex() throws LedgerException {
    ObjectNode p = obj();
    p.put("ledger_index", "validated");
    JsonNode r = call("ledger", p);
    if (!r.path("validated").asBoolean(false)) {
      throw new LedgerException(Reason.BAD_RESPONSE, "ledger: the 'validated' ledger is not marked validated");
    }
    return XrplRpc.uint(r, "ledger_index", "ledger");
  }

  private long accountSequence() throws LedgerException {
    ObjectNode p = obj();
    p.put("account", account.value());
    p.put("ledger_index", "current");
    JsonNode r;
    try {
      r = rpc.call("account_info", p);
    } catch (XrplRpc.RpcError e) {
      if (e.code.equals("actNotFound")) {
        throw new LedgerException(Reason.INSUFFICIENT_FUNDS, "account " + account.value()
            + " does not exist on this network (not funded)");
      }
      throw new LedgerException(Reason.BAD_RESPONSE, "account_info: " + e.getMessage());
    }
    return XrplRpc.uint(r.path("account_data"), "Sequence", "account_info");
  }

  private JsonNode call(String method, ObjectNode params) throws LedgerException {
    try {
      return rpc.call(method, params);
    } catch (XrplRpc.RpcError e) {
      throw new LedgerException(Reason.BAD_RESPONSE, method + ": " + e.getMessage());
    }
  }

  private static ObjectNode obj() {
    return XrplRpc.JSON.createObjectNode();
  }
}
