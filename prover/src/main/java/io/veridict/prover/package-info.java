/**
 * The STARK prover. Public API: {@link io.veridict.prover.Prover}, {@link
 * io.veridict.prover.Witness} and {@link io.veridict.prover.ConstraintViolationException}. The
 * protocol phases are numbered as in {@code docs/transcript.md}.
 */
package io.veridict.prover;
