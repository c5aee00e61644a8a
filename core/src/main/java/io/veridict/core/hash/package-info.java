/**
 * Hash functions. {@link io.veridict.core.hash.Hash256} is the commitment hash of a proof (its
 * code is in the proof header): BLAKE3-256 (default; the compression function for inputs up to one
 * 1024-byte chunk is written here from the BLAKE3 specification, longer inputs use BouncyCastle),
 * Keccak-256 (Ethereum padding, BouncyCastle) and SHA-256 (FIPS 180-4, BouncyCastle). {@link
 * io.veridict.core.hash.KeccakF1600} is the transcript's permutation (FIPS 202). {@link
 * io.veridict.core.hash.Rpo256} is Rescue-Prime Optimized with Miden's constants, the algebraic
 * hash proven inside AIRs. Every function is checked against published vectors (HashKatTest,
 * Rpo256KatTest).
 */
package io.veridict.core.hash;
