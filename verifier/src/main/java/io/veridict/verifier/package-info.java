/**
 * The STARK verifier: {@link io.veridict.verifier.Verifier#verify}, the {@link
 * io.veridict.verifier.AcceptablePolicy} it enforces, and the typed {@link
 * io.veridict.verifier.VerificationException}. Depends on {@code core} only, never on the prover.
 */
package io.veridict.verifier;
