package io.veridict.chain.evm;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.chain.Anchored;
import io.veridict.chain.Bytes32;
import io.veridict.chain.Cursor;
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
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * {@link LedgerAnchor} on an EVM chain through the Veridict contracts ({@code ProofAnchor}, {@code
 * ModelRegistry}, {@code EligibilityGate}).
 *
 * <ul>
 *   <li><b>Chain binding.</b> Every transaction is an EIP-1559 (type 2) transaction whose signed
 *       payload includes the chain id (EIP-155 replay protection carried into EIP-2718/1559). The
 *       node's {@code eth_chainId} is checked at {@link #connect} and before every submission;
 *       a mismatch is {@code WRONG_CHAIN}, as is a {@link PreparedTx} for another network.
 *   <li><b>Fees.</b> {@code maxFeePerGas = min(2·baseFee + tip, cap)}, tip = the node's
 *       suggestion capped by {@link EvmConfig#maxPriorityFeePerGasCapWei()}; when {@code baseFee +
 *       tip} exceeds the cap, {@code prepare} fails with {@code FEE_TOO_HIGH} before a nonce is
 *       taken. Gas limits are explicit per entry kind ({@link EvmConfig.GasLimits}).
 *   <li><b>Nonces.</b> One {@link NonceManager} per instance, and at most one open instance per
 *       (chain, key) in the process ({@code LOCKED} otherwise). "Nonce too low" on submit re-syncs
 *       it and is {@code NONCE_CONFLICT} unless the transaction itself was already mined.
 *   <li><b>Idempotent submit.</b> "Already known" and "nonce too low because it is ours" are
 *       success. A submission that times out is looked up by hash before the timeout is reported
 *       (a receipt timeout is not a failure, REFERENCES pitfall 16).
 *   <li><b>Finality.</b> {@code FINAL} needs a receipt with status 1 whose block is still the
 *       canonical block at its height (re-fetched on every poll) and {@link
 *       EvmConfig#confirmations()} blocks. A receipt whose block hash is no longer canonical, or
 *       that disappears after being seen, is {@code REORGED}: resubmit the same bytes. A reverted
 *       transaction is {@code FAILED} at depth, with the contract's custom error as its code.
 *   <li><b>Audit reads.</b> {@link #history} scans {@code eth_getLogs} in block chunks (halved
 *       when the node refuses a range) with a cursor, skips {@code removed} logs and anything that
 *       is not a well-formed Veridict event; {@link #find} locates a root through {@code
 *       ProofAnchor.getBatch} and reads its log.
 * </ul>
 *
 * <p>Thread-safe. Fee bumps of a stuck transaction: {@link #replaceWithHigherFees}.
 */
public final class EvmLedgerAnchor implements LedgerAnchor {
  private static final Set<String> OWNED_KEYS = ConcurrentHashMap.newKeySet();
  private static final HexFormat HEX = HexFormat.of();
  /** Geth's and anvil's minimum replacement bump is 10%; we use 12.5% to clear both. */
  static final int BUMP_PERCENT_TIMES_10 = 1125;

  private final EvmConfig config;
  private final Credentials credentials;
  private final String account;
  private final String networkId;
  private final String ownerKey;
  private final JsonRpc rpc;
  private final NonceManager nonces;
  private final io.veridict.chain.EligibilityDomain domain;
  /** Inclusions observed by {@link #poll}, to recognise a receipt that vanished (reorg). */
  private final Map<Bytes32, Seen> seen = new ConcurrentHashMap<>();
  private final Map<Long, Instant> blockTimes =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Instant> e) {
          return size() > 4096;
        }
      };
  private volatile boolean closed;

  private record Seen(long height, String blockHash) {}

  private record Fees(BigInteger maxFee, BigInteger tip) {}

  private EvmLedgerAnchor(EvmConfig config, Credentials credentials, String ownerKey) {
    this.config = config;
    this.credentials = credentials;
    this.account = credentials.getAddress().toLowerCase(Locale.ROOT);
    this.networkId = Long.toString(config.chainId());
    this.ownerKey = ownerKey;
    this.domain = io.veridict.chain.EligibilityDomain.evm(config.chainId(), config.contracts().eligibilityGate());
    this.rpc = new JsonRpc(config.rpc(), config.connectTimeout(), config.requestTimeout());
    this.nonces =
        new NonceManager(
            () -> rpcQuantity("eth_getTransactionCount", "transaction count", account, "pending"));
  }

  /**
   * Connects to the node, checks its chain id and that the three contracts have code, and takes
   * ownership of {@code privateKey}'s nonces in this process.
   *
   * @param privateKey the 32-byte secp256k1 signing key; copied, never logged
   * @throws LedgerException {@code BAD_KEY}, {@code WRONG_CHAIN}, {@code UNSUPPORTED} (no contract
   *     code at an address), {@code LOCKED} (another open instance owns the key), {@code
   *     UNREACHABLE}, {@code TIMEOUT}, {@code BAD_RESPONSE}
   */
  public static EvmLedgerAnchor connect(EvmConfig config, byte[] privateKey)
      throws LedgerException {
    Credentials credentials = credentials(privateKey);
    String ownerKey = config.chainId() + ":" + credentials.getAddress().toLowerCase(Locale.ROOT);
    if (!OWNED_KEYS.add(ownerKey)) {
      throw new LedgerException(
          Reason.LOCKED,
          "another open EvmLedgerAnchor in this process owns the nonces of "
              + credentials.getAddress() + " on chain " + config.chainId()
              + "; one nonce owner per key");
    }
    EvmLedgerAnchor a = new EvmLedgerAnchor(config, credentials, ownerKey);
    try {
      a.checkChainId();
      for (String c :
          List.of(config.contracts().modelRegistry(), config.contracts().proofAnchor(),
              config.contracts().eligibilityGate())) {
        JsonNode code = a.rpcCall("eth_getCode", c, "latest");
        if (JsonRpc.data(code, -1, "code of " + c).length == 0) {
          throw new LedgerException(
              Reason.UNSUPPORTED, "no contract code at " + c + " on chain " + config.chainId());
        }
      }
      return a;
    } catch (LedgerException | RuntimeException e) {
      a.close();
      throw e;
    }
  }

  static Credentials credentials(byte[] privateKey) throws LedgerException {
    if (privateKey == null || privateKey.length != 32) {
      throw new LedgerException(Reason.BAD_KEY, "an EVM private key is 32 bytes");
    }
    BigInteger k = new BigInteger(1, privateKey);
    BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    if (k.signum() == 0 || k.compareTo(n) >= 0) {
      throw new LedgerException(Reason.BAD_KEY, "the private key is not in 1..n-1 of secp256k1");
    }
    return Credentials.create(ECKeyPair.create(k));
  }

  /** The address that signs, lowercase {@code 0x} hex. */
  public String account() {
    return account;
  }

  // ---------------------------------------------------------------- prepare / submit

  @Override
  public PreparedTx prepare(LedgerEntry entry) throws LedgerException {
    ensureOpen();
    VeridictAbi.Call call = VeridictAbi.encode(entry);
    long gasLimit = gasLimit(entry);
    // 0. a gate call the contract would revert is refused here, before a nonce or gas is spent
    if (call.target() == VeridictAbi.Target.ELIGIBILITY_GATE) {
      simulate(call, entry);
    }
    // 1. fees first: a refusal must not consume a nonce
    Fees fees = currentFees();
    // 2. the nonce, from the one owner of this key
    long nonce = nonces.allocate();
    // 3. sign for this chain (EIP-1559 type 2, chain id inside the signed payload)
    return sign(entry, call, nonce, gasLimit, fees);
  }

  /**
   * Runs the call as {@code eth_call} from this account at the latest block; a revert is {@code
   * REJECTED} naming the contract's custom error (e.g. {@code ModelMismatch}, {@code
   * GrantsOnHold}), so nothing is signed for a transaction that would fail on chain.
   */
  private void simulate(VeridictAbi.Call call, LedgerEntry entry) throws LedgerException {
    Map<String, String> c = callObject(to(call.target()), call.data());
    c.put("from", account);
    c.put("gas", hex(gasLimit(entry)));
    try {
      rpc.call("eth_call", c, "latest");
    } catch (RpcError e) {
      String name = VeridictAbi.errorName(e.data()).orElse(null);
      if (name == null && !e.says("revert")) {
        throw new LedgerException(Reason.BAD_RESPONSE, "simulating the " + entry.kind() + ": " + e.getMessage(), e);
      }
      throw new LedgerException(Reason.REJECTED, "the EligibilityGate refuses this " + entry.kind() + ": "
          + (name != null ? name + (e.data() != null && e.data().length() > 10 ? " " + e.data() : "") : e.getMessage())
          + "; nothing was sent", e);
    }
  }

  private PreparedTx sign(
      LedgerEntry entry, VeridictAbi.Call call, long nonce, long gasLimit, Fees fees) {
    RawTransaction raw =
        RawTransaction.createTransaction(
            config.chainId(), BigInteger.valueOf(nonce), BigInteger.valueOf(gasLimit),
            to(call.target()), BigInteger.ZERO, call.data(), fees.tip(), fees.maxFee());
    byte[] signed = TransactionEncoder.signMessage(raw, credentials);
    Bytes32 hash = Bytes32.of(Hash.sha3(signed));
    return new PreparedTx(LedgerKind.EVM, networkId, hash, signed, nonce, -1, entry);
  }

  /**
   * A replacement for a stuck transaction: same nonce, same entry, tip and fee cap raised by at
   * least 12.5% (and to at least the current market), re-signed. Submit it like any other; at most
   * one of the two can ever be included, and {@link #poll} reports the loser as {@code FAILED}
   * with code {@code NONCE_USED}.
   *
   * @throws LedgerException {@code FEE_TOO_HIGH} if the bump would exceed the configured cap,
   *     {@code WRONG_CHAIN} for another network's transaction, {@code REJECTED} if {@code stuck} is
   *     not a transaction this adapter could have signed
   */
  public PreparedTx replaceWithHigherFees(PreparedTx stuck) throws LedgerException {
    ensureOpen();
    checkNetwork(stuck);
    Transaction1559 old = decode1559(stuck);
    Fees market = currentFees();
    BigInteger tip = max(bump(old.getMaxPriorityFeePerGas()), market.tip());
    BigInteger maxFee = max(bump(old.getMaxFeePerGas()), market.maxFee()).max(tip);
    if (maxFee.compareTo(config.maxFeePerGasCapWei()) > 0
        || tip.compareTo(config.maxPriorityFeePerGasCapWei()) > 0) {
      throw new LedgerException(
          Reason.FEE_TOO_HIGH,
          "replacing nonce " + stuck.sequence() + " needs maxFeePerGas " + maxFee + " / tip " + tip
              + " wei, above the caps " + config.maxFeePerGasCapWei() + " / "
              + config.maxPriorityFeePerGasCapWei());
    }
    VeridictAbi.Call call = VeridictAbi.encode(stuck.entry());
    if (!call.data().equalsIgnoreCase(old.getData().startsWith("0x") ? old.getData() : "0x" + old.getData())) {
      throw new LedgerException(Reason.REJECTED, "the signed bytes do not encode the entry");
    }
    return sign(stuck.entry(), call, stuck.sequence(), old.getGasLimit().longValueExact(),
        new Fees(maxFee, tip));
  }

  static BigInteger bump(BigInteger v) {
    // ceil(v * 1.125)
    return v.multiply(BigInteger.valueOf(BUMP_PERCENT_TIMES_10))
        .add(BigInteger.valueOf(999))
        .divide(BigInteger.valueOf(1000));
  }

  private static BigInteger max(BigInteger a, BigInteger b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private Transaction1559 decode1559(PreparedTx tx) throws LedgerException {
    try {
      RawTransaction raw = TransactionDecoder.decode(HEX.formatHex(tx.signedBytes()));
      if (raw.getTransaction() instanceof Transaction1559 t && t.getChainId() == config.chainId()) {
        return t;
      }
    } catch (RuntimeException e) {
      throw new LedgerException(Reason.REJECTED, "not a decodable EVM transaction: " + e, e);
    }
    throw new LedgerException(
        Reason.REJECTED, "not an EIP-1559 transaction for chain " + config.chainId());
  }

  @Override
  public void submit(PreparedTx tx) throws LedgerException {
    ensureOpen();
    checkNetwork(tx);
    checkChainId();
    String hex = "0x" + HEX.formatHex(tx.signedBytes());
    try {
      JsonNode r = rpc.call("eth_sendRawTransaction", hex);
      if (r != null && r.isTextual() && !r.asText().equalsIgnoreCase(tx.txHash().toString())) {
        throw new LedgerException(
            Reason.BAD_RESPONSE,
            "the node reports hash " + JsonRpc.abbreviate(r.asText()) + " for " + tx.txHash());
      }
    } catch (RpcError e) {
      if (e.says("already known") || e.says("known transaction") || e.says("already imported")
          || e.says("already exists") || e.says("already in")) {
        return; // the node has it: idempotent
      }
      if (e.says("nonce too low") || e.says("nonce has already been used")
          || e.says("replacement transaction underpriced") || e.says("already used")) {
        if (isKnownToNode(tx)) {
          return; // it is our own transaction, already mined or pooled
        }
        nonces.resync();
        throw new LedgerException(
            Reason.NONCE_CONFLICT,
            "nonce " + tx.sequence() + " of " + account + " is taken by another transaction ("
                + e.getMessage() + ")",
            e);
      }
      if (e.says("insufficient funds") || e.says("insufficient balance")) {
        throw new LedgerException(
            Reason.INSUFFICIENT_FUNDS, account + " cannot pay for " + tx.txHash(), e);
      }
      if (e.says("chain id") || e.says("chainid")) {
        throw new LedgerException(Reason.WRONG_CHAIN, e.getMessage(), e);
      }
      throw new LedgerException(Reason.REJECTED, e.getMessage(), e);
    } catch (LedgerException e) {
      if (e.reason() == Reason.TIMEOUT) {
        // the request may have arrived: look before anyone resends (pitfall 16)
        try {
          if (isKnownToNode(tx)) {
            return;
          }
        } catch (LedgerException ignored) {
          // still unreachable: report the original timeout
        }
      }
      throw e;
    }
  }

  private boolean isKnownToNode(PreparedTx tx) throws LedgerException {
    JsonNode t = rpcCall("eth_getTransactionByHash", tx.txHash().toString());
    return t != null && !t.isNull();
  }

  // ---------------------------------------------------------------- poll / awaitFinal

  @Override
  public TxStatus poll(PreparedTx tx) throws LedgerException {
    ensureOpen();
    checkNetwork(tx);
    String hash = tx.txHash().toString();
    JsonNode receipt = rpcCall("eth_getTransactionReceipt", hash);
    if (receipt == null || receipt.isNull()) {
      return pollWithoutReceipt(tx, hash);
    }
    if (!receipt.isObject()) {
      throw new LedgerException(Reason.BAD_RESPONSE, "receipt of " + hash + " is not an object");
    }
    long height = JsonRpc.quantity(receipt.get("blockNumber"), "receipt blockNumber");
    String blockHash = hash32(receipt.get("blockHash"), "receipt blockHash");
    long status = JsonRpc.quantity(receipt.get("status"), "receipt status");
    // reorg check: is the receipt's block still the canonical block at its height?
    JsonNode block = rpcCall("eth_getBlockByNumber", hex(height), false);
    if (block == null || block.isNull()
        || !hash32(block.get("hash"), "block hash").equals(blockHash)) {
      seen.remove(tx.txHash());
      return new TxStatus.Reorged(
          height, "receipt names block " + blockHash + " but it is no longer canonical at " + height);
    }
    seen.put(tx.txHash(), new Seen(height, blockHash));
    long head = head();
    long confirmations = Math.max(1, head - height + 1);
    if (confirmations < config.confirmations()) {
      return new TxStatus.Included(height, confirmations, config.confirmations());
    }
    if (status == 1) {
      return new TxStatus.Final(height, confirmations);
    }
    return new TxStatus.Failed(revertCode(tx, height), "the transaction reverted", height);
  }

  private TxStatus pollWithoutReceipt(PreparedTx tx, String hash) throws LedgerException {
    JsonNode t = rpcCall("eth_getTransactionByHash", hash);
    Seen was = seen.remove(tx.txHash());
    if (was != null) {
      return new TxStatus.Reorged(
          was.height(), "the receipt in block " + was.blockHash() + " is gone: chain reorganised");
    }
    if (t != null && !t.isNull()) {
      return new TxStatus.Pending(true, "in the node's transaction pool");
    }
    long used = rpcQuantity("eth_getTransactionCount", "transaction count", account, "latest");
    if (used > tx.sequence()) {
      return new TxStatus.Failed(
          "NONCE_USED",
          "nonce " + tx.sequence() + " was used by another transaction of " + account
              + " (a replacement or another sender); this one can never be included",
          -1);
    }
    return new TxStatus.Pending(
        false, "not found: never received or dropped; submit the same bytes again");
  }

  /** Replays a reverted transaction as a call to name the contract's custom error. */
  private String revertCode(PreparedTx tx, long height) {
    try {
      Transaction1559 t = decode1559(tx);
      Map<String, String> call = new LinkedHashMap<>();
      call.put("from", account);
      call.put("to", t.getTo());
      call.put("data", t.getData().startsWith("0x") ? t.getData() : "0x" + t.getData());
      call.put("gas", hex(t.getGasLimit().longValueExact()));
      rpc.call("eth_call", call, hex(Math.max(0, height - 1)));
      return "reverted";
    } catch (RpcError e) {
      return VeridictAbi.errorName(e.data()).orElse("reverted");
    } catch (LedgerException | RuntimeException e) {
      return "reverted";
    }
  }

  @Override
  public TxStatus awaitFinal(PreparedTx tx, Duration timeout) throws LedgerException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      TxStatus s = poll(tx);
      if (s.isTerminal() || System.nanoTime() >= deadline) {
        return s;
      }
      try {
        long left = deadline - System.nanoTime();
        Thread.sleep(Math.max(1, Math.min(config.pollInterval().toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return s;
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Anchored> find(Bytes32 root) throws LedgerException {
    ensureOpen();
    JsonNode result;
    try {
      result = rpc.call("eth_call", callObject(config.contracts().proofAnchor(),
          VeridictAbi.getBatch(root)), "latest");
    } catch (RpcError e) {
      if (VeridictAbi.errorName(e.data()).filter("UnknownRoot"::equals).isPresent()) {
        return Optional.empty();
      }
      throw new LedgerException(Reason.BAD_RESPONSE, "ProofAnchor.getBatch: " + e.getMessage(), e);
    }
    byte[] b = JsonRpc.data(result, 192, "getBatch result");
    long block = new BigInteger(1, Arrays.copyOfRange(b, 128, 160)).longValue();
    long head = head();
    List<Anchored> logs;
    try {
      logs = scan(block, block, head, List.of(VeridictAbi.BATCH_ANCHORED, root.toString()));
    } catch (RangeRefused e) {
      throw new LedgerException(Reason.BAD_RESPONSE, "the node refuses a one-block log query", e);
    }
    for (Anchored a : logs) {
      if (a.entry() instanceof LedgerEntry.BatchAnchor ba && ba.root().equals(root)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  @Override
  public HistoryPage history(Cursor cursor, int limit) throws LedgerException {
    ensureOpen();
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
    }
    long[] pos = parseCursor(cursor);
    long block = pos[0];
    long logIndex = pos[1];
    long head = head();
    List<Anchored> out = new ArrayList<>();
    long chunk = config.logChunkBlocks();
    int chunksLeft = 64;
    while (block <= head && chunksLeft-- > 0) {
      long to = Math.min(head, block + chunk - 1);
      List<Anchored> found;
      try {
        found = scan(block, to, head, null);
      } catch (RangeRefused e) {
        if (chunk == 1) {
          throw new LedgerException(Reason.BAD_RESPONSE, "the node refuses even one-block log ranges", e);
        }
        chunk = Math.max(1, chunk / 2);
        continue;
      }
      for (Anchored a : found) {
        if (a.height() == pos[0] && a.position() < logIndex) {
          continue; // before the cursor within its block
        }
        if (out.size() == limit) {
          return new HistoryPage(out, Optional.of(cursorAt(a.height(), a.position())));
        }
        out.add(a);
      }
      block = to + 1;
    }
    return new HistoryPage(out, block <= head ? Optional.of(cursorAt(block, 0)) : Optional.empty());
  }

  /** Signals a node's refusal of an {@code eth_getLogs} range (too many blocks or results). */
  private static final class RangeRefused extends Exception {
    private static final long serialVersionUID = 1L;

    RangeRefused(RpcError cause) {
      super(cause);
    }
  }

  private static Cursor cursorAt(long block, long logIndex) {
    return new Cursor(block + ":" + logIndex);
  }

  private long[] parseCursor(Cursor cursor) {
    if (cursor.isStart()) {
      return new long[] {config.contracts().deployBlock(), 0};
    }
    String[] parts = cursor.token().split(":", -1);
    try {
      if (parts.length == 2) {
        long b = Long.parseLong(parts[0]);
        long l = Long.parseLong(parts[1]);
        if (b >= 0 && l >= 0) {
          return new long[] {Math.max(b, config.contracts().deployBlock()), l};
        }
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "not an EVM history cursor (block:logIndex): '" + cursor.token() + "'");
  }

  /** Logs of the three contracts in [from, to], decoded, ordered, {@code removed} ones skipped. */
  private List<Anchored> scan(long from, long to, long head, List<String> exactTopics)
      throws LedgerException, RangeRefused {
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("fromBlock", hex(from));
    filter.put("toBlock", hex(to));
    if (exactTopics != null) {
      filter.put("address", config.contracts().proofAnchor());
      filter.put("topics", exactTopics);
    } else {
      filter.put("address", List.of(config.contracts().modelRegistry(),
          config.contracts().proofAnchor(), config.contracts().eligibilityGate()));
      filter.put("topics", List.of(VeridictAbi.ENTRY_TOPICS));
    }
    JsonNode logs;
    try {
      logs = rpc.call("eth_getLogs", filter);
    } catch (RpcError e) {
      if (e.says("range") || e.says("more than") || e.says("too many") || e.says("limit")
          || e.says("too large") || e.code() == -32005) {
        throw new RangeRefused(e);
      }
      throw new LedgerException(Reason.BAD_RESPONSE, "eth_getLogs: " + e.getMessage(), e);
    }
    if (logs == null || !logs.isArray()) {
      throw new LedgerException(Reason.BAD_RESPONSE, "eth_getLogs did not return an array");
    }
    long finalHeight = head - config.confirmations() + 1;
    Set<String> ours = Set.of(config.contracts().modelRegistry(), config.contracts().proofAnchor(),
        config.contracts().eligibilityGate());
    List<Anchored> out = new ArrayList<>();
    for (JsonNode log : logs) {
      if (!log.isObject() || log.path("removed").asBoolean(false)) {
        continue; // removed: reorged out
      }
      String address = log.path("address").asText("").toLowerCase(Locale.ROOT);
      if (!ours.contains(address)) {
        continue;
      }
      JsonNode topicsNode = log.get("topics");
      if (topicsNode == null || !topicsNode.isArray() || topicsNode.size() > 4) {
        continue;
      }
      List<String> topics = new ArrayList<>();
      for (JsonNode t : topicsNode) {
        topics.add(t.asText(""));
      }
      byte[] data;
      long height;
      long position;
      Bytes32 txHash;
      try {
        data = JsonRpc.data(log.get("data"), -1, "log data");
        height = JsonRpc.quantity(log.get("blockNumber"), "log blockNumber");
        position = JsonRpc.quantity(log.get("logIndex"), "log logIndex");
        txHash = Bytes32.fromHex(hash32(log.get("transactionHash"), "log transactionHash"));
      } catch (LedgerException | IllegalArgumentException e) {
        continue; // malformed: not something we can cite
      }
      if (height < from || height > to) {
        continue;
      }
      Optional<VeridictAbi.Decoded> d = VeridictAbi.decode(topics, data);
      if (d.isEmpty()) {
        continue;
      }
      if (d.get().fact().isPresent() && (!address.equals(config.contracts().eligibilityGate())
          || d.get().entry() instanceof LedgerEntry.EligibilityGrant g
              && !g.statement().fact(domain).equals(d.get().fact().get()))) {
        continue; // a grant whose fact is not the gate's hash of its statement: not the gate's event
      }
      out.add(new Anchored(d.get().entry(), txHash, height, position, blockTime(height),
          height <= finalHeight, d.get().writer()));
    }
    out.sort(Comparator.comparingLong(Anchored::height).thenComparingLong(Anchored::position));
    return out;
  }

  private Instant blockTime(long height) throws LedgerException {
    synchronized (blockTimes) {
      Instant t = blockTimes.get(height);
      if (t != null) {
        return t;
      }
    }
    JsonNode block = rpcCall("eth_getBlockByNumber", hex(height), false);
    if (block == null || !block.isObject()) {
      throw new LedgerException(Reason.BAD_RESPONSE, "block " + height + " not returned");
    }
    Instant t = Instant.ofEpochSecond(JsonRpc.quantity(block.get("timestamp"), "block timestamp"));
    synchronized (blockTimes) {
      blockTimes.put(height, t);
    }
    return t;
  }

  @Override
  public LedgerInfo info() throws LedgerException {
    ensureOpen();
    long head = head();
    return new LedgerInfo(LedgerKind.EVM, networkId, account, head,
        Math.max(0, head - config.confirmations() + 1));
  }

  /**
   * Reads {@code EligibilityGate.isEligible} twice, at the latest final block (so only final
   * grants count) and at the latest block (so a revocation, pause or deprecation counts from the
   * block it lands in, not {@code confirmations - 1} blocks later); eligible only when both say
   * yes. The status returned is the final block's (its expiry and fact); {@code now} is then
   * applied to the expiry ({@code now >= validUntil} is expired).
   */
  @Override
  public EligibilityStatus eligibility(String subject, Bytes32 policyId, Instant now)
      throws LedgerException {
    ensureOpen();
    String borrower = LedgerEntry.normaliseAddress(subject);
    long head = head();
    long finalHeight = Math.max(0, head - config.confirmations() + 1);
    EligibilityStatus confirmed = isEligibleAt(borrower, policyId, hex(finalHeight), now);
    if (!confirmed.eligible()) {
      return confirmed;
    }
    EligibilityStatus latest = isEligibleAt(borrower, policyId, "latest", now);
    if (latest.eligible()) {
      return confirmed;
    }
    return new EligibilityStatus(false, confirmed.validUntilEpochSeconds(), confirmed.fact());
  }

  private EligibilityStatus isEligibleAt(String borrower, Bytes32 policyId, String block, Instant now)
      throws LedgerException {
    JsonNode result;
    try {
      result = rpc.call("eth_call", callObject(config.contracts().eligibilityGate(),
          VeridictAbi.isEligible(borrower, policyId)), block);
    } catch (RpcError e) {
      throw new LedgerException(Reason.BAD_RESPONSE, "EligibilityGate.isEligible: " + e.getMessage(), e);
    }
    byte[] b = JsonRpc.data(result, 96, "isEligible result");
    BigInteger ok = new BigInteger(1, Arrays.copyOfRange(b, 0, 32));
    BigInteger until = new BigInteger(1, Arrays.copyOfRange(b, 32, 64));
    if (ok.compareTo(BigInteger.ONE) > 0 || until.bitLength() > 63) {
      throw new LedgerException(Reason.BAD_RESPONSE, "isEligible returned a non-canonical value");
    }
    Bytes32 fact = Bytes32.of(Arrays.copyOfRange(b, 64, 96));
    if (until.signum() == 0 && fact.isZero()) {
      return EligibilityStatus.NONE;
    }
    boolean eligible = ok.signum() == 1 && now.getEpochSecond() < until.longValue() && !fact.isZero();
    return new EligibilityStatus(eligible, until.longValue(), fact);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      OWNED_KEYS.remove(ownerKey);
      rpc.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this EvmLedgerAnchor is closed");
    }
  }

  private void checkNetwork(PreparedTx tx) throws LedgerException {
    if (tx.kind() != LedgerKind.EVM || !tx.networkId().equals(networkId)) {
      throw new LedgerException(
          Reason.WRONG_CHAIN,
          "transaction " + tx.txHash() + " was prepared for " + tx.kind() + " network "
              + tx.networkId() + ", this adapter is EVM chain " + networkId);
    }
  }

  private void checkChainId() throws LedgerException {
    long actual = rpcQuantity("eth_chainId", "chain id");
    if (actual != config.chainId()) {
      throw new LedgerException(
          Reason.WRONG_CHAIN,
          "the node at " + io.veridict.chain.internal.Endpoints.redacted(config.rpc()) + " is chain " + actual + ", configured chain is "
              + config.chainId());
    }
  }

  private Fees currentFees() throws LedgerException {
    JsonNode block = rpcCall("eth_getBlockByNumber", "latest", false);
    if (block == null || !block.isObject() || !block.has("baseFeePerGas")) {
      throw new LedgerException(
          Reason.UNSUPPORTED, "the latest block has no baseFeePerGas: not an EIP-1559 chain");
    }
    BigInteger base = JsonRpc.bigQuantity(block.get("baseFeePerGas"), "baseFeePerGas");
    BigInteger suggested;
    try {
      suggested = JsonRpc.bigQuantity(rpc.call("eth_maxPriorityFeePerGas"), "maxPriorityFeePerGas");
    } catch (RpcError e) {
      suggested = EvmConfig.gwei(1);
    }
    BigInteger tip = suggested.min(config.maxPriorityFeePerGasCapWei());
    BigInteger needed = base.add(tip);
    if (needed.compareTo(config.maxFeePerGasCapWei()) > 0) {
      throw new LedgerException(
          Reason.FEE_TOO_HIGH,
          "base fee " + base + " + tip " + tip + " wei per gas exceeds the cap "
              + config.maxFeePerGasCapWei());
    }
    BigInteger maxFee = base.shiftLeft(1).add(tip).min(config.maxFeePerGasCapWei());
    return new Fees(maxFee, tip);
  }

  private long gasLimit(LedgerEntry entry) {
    EvmConfig.GasLimits g = config.gasLimits();
    return switch (entry) {
      case LedgerEntry.BatchAnchor a -> g.anchor();
      case LedgerEntry.ModelRegistration m -> g.register();
      case LedgerEntry.ModelDeprecation d -> g.deprecate();
      case LedgerEntry.EligibilityGrant gr -> g.grant();
      case LedgerEntry.EligibilityRevocation r -> g.revoke();
      case LedgerEntry.EligibilityReinstatement r -> g.revoke();
    };
  }

  private String to(VeridictAbi.Target target) {
    return switch (target) {
      case MODEL_REGISTRY -> config.contracts().modelRegistry();
      case PROOF_ANCHOR -> config.contracts().proofAnchor();
      case ELIGIBILITY_GATE -> config.contracts().eligibilityGate();
    };
  }

  private static Map<String, String> callObject(String to, String data) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("to", to);
    m.put("data", data);
    return m;
  }

  private long head() throws LedgerException {
    return rpcQuantity("eth_blockNumber", "block number");
  }

  private JsonNode rpcCall(String method, Object... params) throws LedgerException {
    try {
      return rpc.call(method, params);
    } catch (RpcError e) {
      throw new LedgerException(Reason.BAD_RESPONSE, e.getMessage(), e);
    }
  }

  private long rpcQuantity(String method, String what, Object... params) throws LedgerException {
    return JsonRpc.quantity(rpcCall(method, params), what);
  }

  private static String hash32(JsonNode n, String what) throws LedgerException {
    byte[] b = JsonRpc.data(n, 32, what);
    return "0x" + HEX.formatHex(b);
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
