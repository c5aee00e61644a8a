/**
 * The FRI folding step shared by prover and verifier, so both compute the same function. The
 * commit phase lives in the prover, the query checks in the verifier.
 */
package io.veridict.core.fri;
