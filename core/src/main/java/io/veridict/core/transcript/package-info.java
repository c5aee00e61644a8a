/**
 * The Fiat–Shamir transcript: a framed, length-binding duplex sponge over Keccak-f[1600]. The
 * STARK schedule that uses it lives in {@link io.veridict.core.proof.StarkTranscript}; both are
 * documented in {@code docs/transcript.md}.
 */
package io.veridict.core.transcript;
