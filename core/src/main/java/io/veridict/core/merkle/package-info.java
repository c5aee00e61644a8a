/**
 * Verification of batched Merkle multi-openings. Building trees is the prover's job (module
 * {@code prover}); this package holds only what a verifier needs, and never throws on hostile
 * input.
 */
package io.veridict.core.merkle;
