package io.veridict.bench;

import io.veridict.core.air.Air;
import io.veridict.core.hash.HashFunction;
import io.veridict.core.proof.ProofOptions;
import io.veridict.examples.FibonacciAir;
import io.veridict.examples.RangeCheckAir;
import io.veridict.examples.RpoChainAir;
import io.veridict.prover.Witness;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The example statement and proof options shared by {@code bench stark} and {@code verify stark}.
 * Statements are deterministic, so the verifier rebuilds the same public inputs itself.
 */
final class StarkStatementOptions {
  @Option(names = "--air", required = true, description = "fibonacci | rpo-chain | range")
  String air;

  @Option(names = "--log-rows", required = true, description = "log2 of the trace length")
  int logRows;

  @Option(names = "--profile", defaultValue = "standard", description = "standard | high (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--no-zk", description = "turn zero knowledge OFF (benchmarks against non-ZK provers only)")
  boolean noZk;

  @Option(names = "--hash", defaultValue = "blake3", description = "blake3 | keccak256 | sha256 (default: ${DEFAULT-VALUE})")
  String hash;

  @Option(names = "--folding-arity", defaultValue = "8", description = "FRI folding arity: 2, 4 or 8 (default: ${DEFAULT-VALUE})")
  int foldingArity;

  record Statement(Air air, long[] publicInputs, Witness witness) {}

  ProofOptions proofOptions(picocli.CommandLine cmd) {
    ProofOptions o =
        switch (profile) {
          case "standard" -> ProofOptions.standard();
          case "high" -> ProofOptions.high();
          default -> throw new ParameterException(cmd, "--profile must be standard or high, got " + profile);
        };
    HashFunction h = HashFunction.fromCliName(hash);
    if (h == null) {
      throw new ParameterException(cmd, "--hash must be blake3, keccak256 or sha256, got " + hash);
    }
    try {
      o = o.withHash(h).withFoldingArity(foldingArity);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, e.getMessage());
    }
    return noZk ? o.withoutZeroKnowledgeForBenchmarks() : o;
  }

  /** Builds the statement; the witness is only built when {@code withWitness}. */
  Statement statement(picocli.CommandLine cmd, boolean withWitness) {
    if (logRows < 1 || logRows > 26) {
      throw new ParameterException(cmd, "--log-rows must be in [1, 26], got " + logRows);
    }
    try {
      return switch (air) {
        case "fibonacci" -> {
          FibonacciAir a = new FibonacciAir(logRows);
          yield new Statement(a, new long[] {FibonacciAir.result(logRows)}, withWitness ? FibonacciAir.witness(logRows) : null);
        }
        case "rpo-chain" -> {
          RpoChainAir a = new RpoChainAir(logRows);
          long[] init = RpoChainAir.exampleInitialState();
          yield new Statement(a, a.publicInputs(init), withWitness ? a.witness(init) : null);
        }
        case "range" -> {
          RangeCheckAir a = new RangeCheckAir(logRows);
          int count = Math.min(1 << logRows, 1 << 20);
          yield new Statement(a, new long[0], withWitness ? a.witness(RangeCheckAir.exampleValues(count, 42)) : null);
        }
        default -> throw new ParameterException(cmd, "--air must be fibonacci, rpo-chain or range, got " + air);
      };
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, e.getMessage());
    }
  }
}
