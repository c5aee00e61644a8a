package io.veridict.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decision circuits by architecture, for a verifier that checks many bundles (the HTTP service, an
 * audit): a circuit is built once per architecture instead of once per bundle, and a circuit that is
 * neither pinned nor within {@code maxUnpinnedTraceRows} is never built at all.
 *
 * <p>Why: building a circuit costs time and memory linear in its trace length (224 MB allocated and
 * 0.33 s for 2^20 rows on a 2-core machine, before the proof is read), and the architecture comes from the bundle, so an unauthenticated caller of a
 * verification service chooses it. {@link #circuit} first computes the trace length from the
 * architecture alone ({@link DecisionCircuit#traceRows}, cheap: no constraint system is built),
 * then refuses a circuit over the bound unless its architecture was {@linkplain #pin pinned} (the
 * models the service itself holds). The cache holds every pinned circuit and at most {@code
 * maxUnpinned} others (least recently used evicted). Thread-safe; a circuit is immutable and shared.
 *
 * <p>Security: the cache is keyed by the whole architecture (value equality), never by a claimed
 * airId, so a bundle cannot borrow another architecture's circuit; {@link DecisionVerifier} still
 * compares the circuit's airId with the statement's.
 */
public final class CircuitCache {
  private final int maxUnpinnedTraceRows;
  private final int maxUnpinned;
  private final Set<ModelArchitecture> admitted = ConcurrentHashMap.newKeySet();
  private final Map<ModelArchitecture, DecisionCircuit> pinned = new ConcurrentHashMap<>();
  private final LinkedHashMap<ModelArchitecture, DecisionCircuit> recent;

  /**
   * @param maxUnpinnedTraceRows the largest trace (rows) built for an architecture that is not pinned
   * @param maxUnpinned how many unpinned circuits are kept
   */
  public CircuitCache(int maxUnpinnedTraceRows, int maxUnpinned) {
    if (maxUnpinnedTraceRows < 1 || maxUnpinned < 0) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxUnpinnedTraceRows = maxUnpinnedTraceRows;
    this.maxUnpinned = maxUnpinned;
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ModelArchitecture, DecisionCircuit> e) {
        return size() > CircuitCache.this.maxUnpinned;
      }
    };
  }

  /**
   * Admits {@code a} whatever its size (a model this verifier holds): its circuit is built on first
   * use, once even when many callers ask at the same time, and then kept.
   */
  public void pin(ModelArchitecture a) {
    admitted.add(a);
  }

  /** The largest trace built for an architecture that is not pinned. */
  public int maxUnpinnedTraceRows() {
    return maxUnpinnedTraceRows;
  }

  /**
   * The circuit of {@code a}: pinned or cached, else built when its trace is within the bound.
   *
   * @return empty when {@code a} is not pinned and its trace exceeds {@link #maxUnpinnedTraceRows}
   *     (nothing was built)
   * @throws IllegalArgumentException if {@code a} does not compile to a circuit
   */
  public Optional<DecisionCircuit> circuit(ModelArchitecture a) {
    if (admitted.contains(a)) {
      return Optional.of(pinned.computeIfAbsent(a, DecisionCircuit::of));
    }
    DecisionCircuit c;
    synchronized (recent) {
      c = recent.get(a);
    }
    if (c != null) {
      return Optional.of(c);
    }
    if (DecisionCircuit.traceRows(a) > maxUnpinnedTraceRows) {
      return Optional.empty();
    }
    DecisionCircuit built = DecisionCircuit.of(a);
    synchronized (recent) {
      DecisionCircuit raced = recent.putIfAbsent(a, built);
      return Optional.of(raced != null ? raced : built);
    }
  }
}
