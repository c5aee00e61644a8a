package io.veridict.chain.xrpl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A rippled <b>simulator</b> for tests: it speaks rippled's JSON-RPC wire protocol; it is not a
 * real node. It listens on a free loopback port ({@code com.sun.net.httpserver}) and answers
 * {@code submit}, {@code tx}, {@code ledger}, {@code account_info}, {@code fee}, {@code
 * server_info} and {@code account_tx} in rippled's JSON shapes (API v1).
 *
 * <p>It keeps accounts and sequences, decodes submitted blobs with xrpl4j's binary codec, checks
 * the signature (Ed25519 or secp256k1 over the {@code STX\0}-prefixed signing encoding), the
 * sequence, {@code LastLedgerSequence}, the fee and the {@code NetworkID} rules, holds accepted
 * transactions in an open pool and applies them when a ledger is closed and validated on demand
 * ({@link #closeLedger()}, or on every {@code tx} lookup with {@link #autoClose}). Tests can make
 * it answer {@code tefPAST_SEQ}, {@code tefMAX_LEDGER}, {@code terQUEUED}, {@code
 * telINSUF_FEE_P} ({@link #forceNextSubmit}), hang ({@link #hangMillis}), drop a transaction
 * ({@link #dropNext}) or fail it with a {@code tec} code ({@link #tecNext}).
 */
public final class RippledSimulator implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();
  static final long RIPPLE_EPOCH_START = 780_000_000L;

  private final HttpServer server;
  final long networkId;

  // ----- knobs (tests set these)
  volatile boolean autoClose = true;
  volatile long hangMillis;
  volatile long baseFee = 10;
  volatile long openLedgerFee = 10;
  volatile boolean searchedAll = true;
  final Deque<String> forceNextSubmit = new ArrayDeque<>();
  volatile int dropNext;
  volatile String tecNext;

  // ----- ledger state, guarded by this
  private long validated = 10;
  private final Map<String, long[]> accounts = new HashMap<>(); // address -> {sequence, balance}
  private final LinkedHashMap<String, Pending> pool = new LinkedHashMap<>();
  private final Map<String, Applied> byHash = new HashMap<>();
  private final List<Applied> appliedInOrder = new ArrayList<>();
  int submits;

  record Pending(String hash, ObjectNode tx, String tecResult) {}

  record Applied(String hash, ObjectNode tx, String result, long ledger, int index, long date) {}

  /** Starts the simulator of network {@code networkId} on a free loopback port. */
  public RippledSimulator(long networkId) throws IOException {
    this.networkId = networkId;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "rippled-sim");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** The JSON-RPC endpoint. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Creates (or refills) an account with {@code drops}. */
  public synchronized void fund(String address, long drops) {
    accounts.put(address, new long[] {1, drops});
  }

  synchronized long sequenceOf(String address) {
    return accounts.get(address)[0];
  }

  synchronized long validatedIndex() {
    return validated;
  }

  synchronized int poolSize() {
    return pool.size();
  }

  /** Number of transactions applied for {@code address} (any result). */
  synchronized long appliedCount(String address) {
    return appliedInOrder.stream().filter(a -> a.tx.path("Account").asText().equals(address)).count();
  }

  /** Closes the open ledger: applies the pool in sequence order, then validates the ledger. */
  synchronized void closeLedger() {
    long index = validated + 1;
    long date = RIPPLE_EPOCH_START + 4 * index;
    int txIndex = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Iterator<Pending> it = pool.values().iterator(); it.hasNext(); ) {
        Pending p = it.next();
        long last = p.tx.path("LastLedgerSequence").asLong(Long.MAX_VALUE);
        long[] acct = accounts.get(p.tx.path("Account").asText());
        long seq = p.tx.path("Sequence").asLong();
        if (last < index || acct == null || seq < acct[0]) {
          it.remove(); // expired or superseded: can never be included
          continue;
        }
        if (seq == acct[0]) {
          acct[0]++;
          acct[1] -= Long.parseLong(p.tx.path("Fee").asText());
          Applied a = new Applied(p.hash, p.tx, p.tecResult == null ? "tesSUCCESS" : p.tecResult, index,
              txIndex++, date);
          byHash.put(p.hash, a);
          appliedInOrder.add(a);
          it.remove();
          progress = true;
        }
      }
    }
    validated = index;
  }

  /** Records a validated transaction that did not come through submit (foreign history). */
  synchronized void injectValidated(ObjectNode tx, String result) {
    closeLedger();
    String hash = HEX.formatHex(sha512Half(("foreign" + appliedInOrder.size()).getBytes(StandardCharsets.UTF_8)));
    Applied a = new Applied(hash, tx, result, validated, 0, RIPPLE_EPOCH_START + 4 * validated);
    byHash.put(hash, a);
    appliedInOrder.add(a);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode req = JSON.readTree(ex.getRequestBody().readNBytes(1 << 20));
      long hang = hangMillis;
      if (hang > 0) {
        try {
          Thread.sleep(hang);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String method = req.path("method").asText();
      JsonNode params = req.path("params").path(0);
      ObjectNode result;
      synchronized (this) {
        result = switch (method) {
          case "server_info" -> serverInfo();
          case "fee" -> fee();
          case "ledger" -> ledger(params);
          case "account_info" -> accountInfo(params);
          case "submit" -> submit(params);
          case "tx" -> tx(params);
          case "account_tx" -> accountTx(params);
          default -> error("unknownCmd", "Unknown method.");
        };
      }
      ObjectNode body = JSON.createObjectNode();
      body.set("result", result);
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException | RuntimeException e) {
      // the client went away (e.g. after its timeout)
    }
  }

  private static ObjectNode success() {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "success");
    return o;
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", code);
    o.put("error_message", message);
    o.put("status", "error");
    return o;
  }

  private ObjectNode serverInfo() {
    ObjectNode o = success();
    ObjectNode info = o.putObject("info");
    info.put("build_version", "simulator");
    info.put("complete_ledgers", "1-" + validated);
    if (networkId != 0) {
      info.put("network_id", networkId);
    }
    info.put("server_state", "full");
    ObjectNode v = info.putObject("validated_ledger");
    v.put("seq", validated);
    v.put("base_fee_xrp", 0.00001);
    return o;
  }

  private ObjectNode fee() {
    ObjectNode o = success();
    ObjectNode d = o.putObject("drops");
    d.put("base_fee", Long.toString(baseFee));
    d.put("median_fee", "5000");
    d.put("minimum_fee", Long.toString(baseFee));
    d.put("open_ledger_fee", Long.toString(openLedgerFee));
    o.put("ledger_current_index", validated + 1);
    o.put("current_queue_size", "0");
    return o;
  }

  private ObjectNode ledger(JsonNode p) {
    String which = p.path("ledger_index").asText("current");
    long index = switch (which) {
      case "validated", "closed" -> validated;
      case "current" -> validated + 1;
      default -> p.path("ledger_index").asLong(validated);
    };
    ObjectNode o = success();
    ObjectNode l = o.putObject("ledger");
    l.put("ledger_index", Long.toString(index));
    l.put("closed", index <= validated);
    l.put("close_time", RIPPLE_EPOCH_START + 4 * index);
    o.put("ledger_index", index);
    o.put("validated", index <= validated);
    return o;
  }

  private ObjectNode accountInfo(JsonNode p) {
    long[] a = accounts.get(p.path("account").asText());
    if (a == null) {
      ObjectNode e = error("actNotFound", "Account not found.");
      e.put("error_code", 19);
      return e;
    }
    ObjectNode o = success();
    ObjectNode d = o.putObject("account_data");
    d.put("Account", p.path("account").asText());
    d.put("Balance", Long.toString(a[1]));
    d.put("Sequence", a[0]);
    o.put("ledger_current_index", validated + 1);
    o.put("validated", false);
    return o;
  }

  private ObjectNode submit(JsonNode p) {
    submits++;
    String blobHex = p.path("tx_blob").asText();
    ObjectNode tx;
    byte[] blob;
    XrplBinaryReader.Decoded decoded;
    try {
      blob = HEX.parseHex(blobHex);
      decoded = XrplBinaryReader.decode(blob);
      tx = decoded.json();
    } catch (RuntimeException e) {
      return error("invalidTransaction", "fails local checks: could not decode");
    }
    String hash = HEX.formatHex(txHash(blob));
    tx.put("hash", hash);
    String forced = forceNextSubmit.pollFirst();
    if (forced != null) {
      if (forced.equals("terQUEUED")) {
        pool.put(hash, new Pending(hash, tx, null));
      }
      return engine(forced, tx, blobHex);
    }
    if (!signatureOk(tx, XrplBinaryReader.signingBytes(blob, decoded))) {
      return engine("temBAD_SIGNATURE", tx, blobHex);
    }
    boolean hasNetworkId = tx.has("NetworkID");
    if (networkId > 1024 && !hasNetworkId) {
      return engine("telREQUIRES_NETWORK_ID", tx, blobHex);
    }
    if (networkId <= 1024 && hasNetworkId) {
      return engine("telNETWORK_ID_MAKES_TX_NON_CANONICAL", tx, blobHex);
    }
    if (hasNetworkId && tx.get("NetworkID").asLong() != networkId) {
      return engine("telWRONG_NETWORK", tx, blobHex);
    }
    long[] acct = accounts.get(tx.path("Account").asText());
    if (acct == null) {
      return engine("terNO_ACCOUNT", tx, blobHex);
    }
    if (pool.containsKey(hash)) {
      return engine("tefALREADY", tx, blobHex);
    }
    long seq = tx.path("Sequence").asLong();
    if (seq < acct[0]) {
      return engine("tefPAST_SEQ", tx, blobHex);
    }
    if (tx.has("LastLedgerSequence") && tx.get("LastLedgerSequence").asLong() < validated + 1) {
      return engine("tefMAX_LEDGER", tx, blobHex);
    }
    if (Long.parseLong(tx.path("Fee").asText("0")) < openLedgerFee) {
      return engine("telINSUF_FEE_P", tx, blobHex);
    }
    if (dropNext > 0) {
      dropNext--;
      return engine("tesSUCCESS", tx, blobHex); // accepted, then lost
    }
    pool.put(hash, new Pending(hash, tx, tecNext));
    tecNext = null;
    long pendingForAccount = pool.values().stream()
        .filter(x -> x.tx.path("Account").asText().equals(tx.path("Account").asText())).count();
    return engine(seq > acct[0] + pendingForAccount - 1 ? "terPRE_SEQ" : "tesSUCCESS", tx, blobHex);
  }

  private static ObjectNode engine(String code, ObjectNode tx, String blobHex) {
    ObjectNode o = success();
    o.put("engine_result", code);
    o.put("engine_result_code", code.startsWith("tes") ? 0 : code.startsWith("ter") ? -89 : -199);
    o.put("engine_result_message", "simulated " + code);
    o.put("accepted", code.equals("tesSUCCESS") || code.equals("terQUEUED"));
    o.put("applied", code.equals("tesSUCCESS"));
    o.put("broadcast", code.equals("tesSUCCESS"));
    o.put("kept", true);
    o.put("queued", code.equals("terQUEUED"));
    o.put("tx_blob", blobHex);
    o.set("tx_json", tx);
    return o;
  }

  private ObjectNode tx(JsonNode p) {
    if (autoClose) {
      closeLedger();
    }
    String hash = p.path("transaction").asText().toUpperCase();
    Applied a = byHash.get(hash);
    if (a != null) {
      ObjectNode o = success();
      o.setAll(a.tx.deepCopy());
      o.put("hash", a.hash);
      o.put("ledger_index", a.ledger);
      o.put("date", a.date);
      o.put("validated", true);
      ObjectNode meta = o.putObject("meta");
      meta.put("TransactionIndex", a.index);
      meta.put("TransactionResult", a.result);
      return o;
    }
    Pending pending = pool.get(hash);
    if (pending != null) {
      ObjectNode o = success();
      o.setAll(pending.tx.deepCopy());
      o.put("validated", false);
      return o;
    }
    ObjectNode e = error("txnNotFound", "Transaction not found.");
    e.put("error_code", 29);
    if (p.has("min_ledger") && p.has("max_ledger")) {
      e.put("searched_all", searchedAll && p.get("max_ledger").asLong() <= validated);
    }
    return e;
  }

  private ObjectNode accountTx(JsonNode p) {
    String account = p.path("account").asText();
    int limit = Math.max(1, Math.min(400, p.path("limit").asInt(200)));
    int start = p.has("marker") ? p.get("marker").path("seq").asInt() : 0;
    List<Applied> mine = appliedInOrder.stream()
        .filter(a -> a.tx.path("Account").asText().equals(account)).toList();
    ObjectNode o = success();
    o.put("account", account);
    o.put("ledger_index_min", 1);
    o.put("ledger_index_max", validated);
    o.put("limit", limit);
    o.put("validated", true);
    ArrayNode txs = o.putArray("transactions");
    int end = Math.min(mine.size(), start + limit);
    for (int i = start; i < end; i++) {
      Applied a = mine.get(i);
      ObjectNode t = txs.addObject();
      ObjectNode meta = t.putObject("meta");
      meta.put("TransactionIndex", a.index);
      meta.put("TransactionResult", a.result);
      ObjectNode j = a.tx.deepCopy();
      j.put("hash", a.hash);
      j.put("ledger_index", a.ledger);
      j.put("date", a.date);
      t.set("tx", j);
      t.put("validated", true);
    }
    if (end < mine.size()) {
      ObjectNode m = o.putObject("marker");
      m.put("ledger", mine.get(end).ledger);
      m.put("seq", end);
    }
    return o;
  }

  // ---------------------------------------------------------------- crypto

  static byte[] sha512Half(byte[] data) {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(data), 32);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] txHash(byte[] blob) {
    byte[] b = new byte[blob.length + 4];
    b[0] = 0x54;
    b[1] = 0x58;
    b[2] = 0x4E;
    System.arraycopy(blob, 0, b, 4, blob.length);
    return sha512Half(b);
  }

  private static boolean signatureOk(ObjectNode tx, byte[] msg) {
    try {
      byte[] pub = HEX.parseHex(tx.path("SigningPubKey").asText());
      byte[] sig = HEX.parseHex(tx.path("TxnSignature").asText());
      if (pub.length == 33 && (pub[0] & 0xff) == 0xED) {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(pub, 1));
        v.update(msg, 0, msg.length);
        return v.verifySignature(sig);
      }
      X9ECParameters c = CustomNamedCurves.getByName("secp256k1");
      ECDomainParameters dom = new ECDomainParameters(c.getCurve(), c.getG(), c.getN(), c.getH());
      ECDSASigner v = new ECDSASigner();
      v.init(false, new ECPublicKeyParameters(c.getCurve().decodePoint(pub), dom));
      ASN1Sequence seq = ASN1Sequence.getInstance(sig);
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      return v.verifySignature(sha512Half(msg), r, s);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
