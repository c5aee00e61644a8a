package io.veridict.chain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code EligibilityGate}'s rules for the ledgers that have no contract (the local ledger and
 * XRPL): their history is replayed in ledger order and every grant is judged at the time it
 * landed, as the gate judges it when it is sent. A grant the rules refuse is on the ledger but
 * counts for nothing (the gate would have reverted it). What the gate checks and these rules do
 * too:
 *
 * <ul>
 *   <li>the statement is format {@link GateStatement#VERSION}, approves, and is for this ledger's
 *       chain id (0: the local and XRPL ledgers have none);
 *   <li>its model is registered on the ledger with the same {@code airId}, and not deprecated;
 *   <li>it has not expired; {@code validUntil} is in the future, at most {@link
 *       #MAX_VALIDITY_SECONDS} ahead and not after the statement's expiry;
 *   <li>the (borrower, policy) pair is not on hold (a revocation not yet lifted by a
 *       reinstatement);
 *   <li>its fact ({@link GateStatement#fact} under the ledger's {@link EligibilityDomain}) was
 *       never recorded before.
 * </ul>
 *
 * <p>What differs from the gate: these ledgers have no policy registry, so the model and threshold
 * rule of a policy are not checked here (the CLI checks the threshold rule a lender gives it), the
 * validity bound is the gate's global maximum rather than a per-policy one, and nothing restricts
 * who may reinstate (any key that can write to the ledger can).
 */
public final class EligibilityRules {
  /** The longest validity of one grant: the gate's {@code MAX_VALIDITY} (366 days). */
  public static final long MAX_VALIDITY_SECONDS = 366L * 24 * 3600;

  private EligibilityRules() {}

  private record Pair(String subject, Bytes32 policyId) {}

  private static final class Record {
    final Bytes32 fact;
    final Bytes32 model;
    final long validUntil;
    boolean revoked;

    Record(Bytes32 fact, Bytes32 model, long validUntil) {
      this.fact = fact;
      this.model = model;
      this.validUntil = validUntil;
    }
  }

  private static final class PairState {
    final List<Record> records = new ArrayList<>();
    boolean held;
  }

  /** The replayed state of a history. */
  private static final class Replay {
    final long chainId;
    final EligibilityDomain domain;
    final Map<Bytes32, Bytes32> airOfModel = new HashMap<>();
    final Set<Bytes32> deprecated = new HashSet<>();
    final Set<Bytes32> usedFacts = new HashSet<>();
    final Map<Pair, PairState> pairs = new HashMap<>();

    Replay(long chainId, EligibilityDomain domain) {
      this.chainId = chainId;
      this.domain = domain;
    }

    void apply(Anchored a) {
      switch (a.entry()) {
        case LedgerEntry.ModelRegistration r -> airOfModel.putIfAbsent(r.modelCommitment(), r.airId());
        case LedgerEntry.ModelDeprecation d -> {
          if (airOfModel.containsKey(d.modelCommitment())) {
            deprecated.add(d.modelCommitment());
          }
        }
        case LedgerEntry.EligibilityGrant g -> {
          if (refusal(g, a.timestamp()).isEmpty()) {
            Bytes32 fact = g.statement().fact(domain);
            usedFacts.add(fact);
            pairs.computeIfAbsent(new Pair(g.subject(), g.policyId()), k -> new PairState())
                .records.add(new Record(fact, g.statement().modelCommitment(), g.validUntilEpochSeconds()));
          }
        }
        case LedgerEntry.EligibilityRevocation r -> {
          PairState p = pairs.get(new Pair(r.subject(), r.policyId()));
          if (p != null && !p.records.isEmpty()) {
            p.records.get(p.records.size() - 1).revoked = true;
            p.held = true;
          }
        }
        case LedgerEntry.EligibilityReinstatement r -> {
          PairState p = pairs.get(new Pair(r.subject(), r.policyId()));
          if (p != null) {
            p.held = false;
          }
        }
        case LedgerEntry.BatchAnchor b -> { }
      }
    }

    Optional<String> refusal(LedgerEntry.EligibilityGrant g, Instant at) {
      GateStatement s = g.statement();
      long t = at.getEpochSecond();
      if (s.version() != GateStatement.VERSION) {
        return Optional.of("UnsupportedStatementVersion: the statement is format " + s.version());
      }
      if (s.chainId() != chainId) {
        return Optional.of("WrongChain: the statement is for chain " + s.chainId() + ", this ledger is " + chainId);
      }
      if (!s.decision()) {
        return Optional.of("NotApproved: the statement's decision is a decline");
      }
      Bytes32 air = airOfModel.get(s.modelCommitment());
      if (air == null) {
        return Optional.of("ModelNotActive: model " + s.modelCommitment() + " is not registered on this ledger");
      }
      if (!air.equals(s.airId())) {
        return Optional.of("AirIdMismatch: model " + s.modelCommitment() + " is registered with circuit " + air
            + ", the statement names " + s.airId());
      }
      if (deprecated.contains(s.modelCommitment())) {
        return Optional.of("ModelNotActive: model " + s.modelCommitment() + " is deprecated");
      }
      if (s.expiresAt() != 0 && s.expiresAt() <= t) {
        return Optional.of("StatementExpired: the statement expired at " + Instant.ofEpochSecond(s.expiresAt()));
      }
      long until = g.validUntilEpochSeconds();
      if (until <= t) {
        return Optional.of("AlreadyExpired: validUntil " + until + " is not after " + t);
      }
      long max = t + MAX_VALIDITY_SECONDS;
      if (s.expiresAt() != 0) {
        max = Math.min(max, s.expiresAt());
      }
      if (until > max) {
        return Optional.of("ValidityTooLong: validUntil " + until + " is after " + max
            + " (unix seconds; 366 days at most, and not after the statement's expiry)");
      }
      PairState p = pairs.get(new Pair(g.subject(), g.policyId()));
      if (p != null && p.held) {
        return Optional.of("GrantsOnHold: " + g.subject() + " was revoked under this policy and not reinstated");
      }
      if (usedFacts.contains(s.fact(domain))) {
        return Optional.of("FactAlreadyUsed: this statement was granted before");
      }
      return Optional.empty();
    }
  }

  /**
   * What {@code subject} is under {@code policyId} at {@code now}, after replaying {@code history}.
   *
   * @param chainId the ledger's chain id (0 for local and XRPL)
   * @param domain the ledger's eligibility domain
   */
  public static EligibilityStatus status(List<Anchored> history, String subject, Bytes32 policyId, long chainId,
      EligibilityDomain domain, Instant now) {
    Replay r = replay(history, chainId, domain);
    PairState p = r.pairs.get(new Pair(LedgerEntry.normaliseAddress(subject), Objects.requireNonNull(policyId)));
    if (p == null || p.records.isEmpty()) {
      return EligibilityStatus.NONE;
    }
    Record cur = p.records.get(p.records.size() - 1);
    boolean ok = !cur.revoked && !p.held && now.getEpochSecond() < cur.validUntil && !r.deprecated.contains(cur.model);
    return new EligibilityStatus(ok, cur.validUntil, cur.fact);
  }

  /**
   * Why a grant landing at {@code at} after {@code history} would count for nothing, or empty when
   * it would be recorded. For checks before anything is sent.
   */
  public static Optional<String> refusal(List<Anchored> history, LedgerEntry.EligibilityGrant grant, long chainId,
      EligibilityDomain domain, Instant at) {
    return replay(history, chainId, domain).refusal(grant, at);
  }

  /** Whether (subject, policy) is on hold after {@code history}. */
  public static boolean isHeld(List<Anchored> history, String subject, Bytes32 policyId, long chainId,
      EligibilityDomain domain) {
    PairState p = replay(history, chainId, domain).pairs.get(new Pair(LedgerEntry.normaliseAddress(subject), policyId));
    return p != null && p.held;
  }

  private static Replay replay(List<Anchored> history, long chainId, EligibilityDomain domain) {
    Replay r = new Replay(chainId, Objects.requireNonNull(domain, "domain"));
    for (Anchored a : history) {
      if (a.isFinal()) {
        r.apply(a);
      }
    }
    return r;
  }
}
