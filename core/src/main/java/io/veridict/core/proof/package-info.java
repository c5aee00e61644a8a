/**
 * What a proof is and what it is worth: {@link io.veridict.core.proof.ProofOptions} (validated,
 * with named secure profiles and explicitly insecure test options), {@link
 * io.veridict.core.proof.StarkLayout} (every size derived from an AIR and options), the proof
 * object and its strict codec ({@code docs/proof-format.md}), the shared transcript schedule, and
 * the security estimator ({@code docs/security-parameters.md}).
 */
package io.veridict.core.proof;
