/**
 * Example AIRs that double as benchmarks and teaching code: two-column Fibonacci, a chain of
 * RPO-256 permutations, and a LogUp range check over [0, 2^16). Each class holds the AIR (shared
 * by prover and verifier) and its trace builder (prover side).
 */
package io.veridict.examples;
