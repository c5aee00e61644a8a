/**
 * Hash functions and permutations.
 *
 * <p>{@link io.veridict.core.hash.Hash256} is a proof's commitment hash (Merkle trees,
 * proof-of-work); which one a proof uses is recorded in its header ({@link
 * io.veridict.core.hash.HashFunction}):
 *
 * <ul>
 *   <li>{@link io.veridict.core.hash.Blake3} — BLAKE3-256, the default; own implementation of the
 *       BLAKE3 specification (2020), hash mode, any input length. Merkle nodes and leaves of at
 *       most 8 words are a single allocation-free compression.
 *   <li>{@link io.veridict.core.hash.Keccak256} — Ethereum's Keccak-256 (original Keccak padding
 *       {@code 0x01}, rate 136 bytes; <em>not</em> FIPS 202 SHA3-256), own sponge over {@link
 *       io.veridict.core.hash.KeccakF1600}; the choice for proofs verified on an EVM.
 *   <li>{@link io.veridict.core.hash.Sha256} — SHA-256 (FIPS 180-4) through the JDK.
 * </ul>
 *
 * <p>{@link io.veridict.core.hash.KeccakF1600} is the FIPS 202 permutation, public because the
 * Fiat–Shamir transcript builds its duplex sponge on it. {@link io.veridict.core.hash.Rpo256} is
 * Rescue-Prime Optimized (eprint 2022/1577) with Miden's parameters, constants and {@code
 * hash_elements} padding (eprint 2023/1045): the algebraic hash whose permutation AIRs prove, with
 * accessors for its MDS matrix and round constants.
 *
 * <p>Security notes. The three {@code Hash256} functions target 128-bit collision resistance
 * (about 85 bits against quantum collision search). BLAKE3 and Keccak-256 resist length extension;
 * SHA-256 does not, which is harmless for Merkle nodes of fixed shape but rules out {@code H(key ||
 * msg)} MACs. None of these functions hides low-entropy inputs: a digest of a guessable value (a
 * score, a feature) reveals it to anyone who tries the candidates, so such values must be salted.
 * RPO-256 is defined on canonical Goldilocks elements and rejects others; its empty input hashes
 * to the all-zero digest. All classes are stateless and thread-safe.
 *
 * <p>Verification: official BLAKE3 {@code test_vectors.json}, {@code keccak256("")} and other
 * published Keccak vectors, FIPS 180-4 examples, Miden's 19 {@code hash_elements} vectors, plus
 * seeded differential tests against BouncyCastle ({@code Blake3Digest}, {@code KeccakDigest}) and a
 * {@link java.math.BigInteger} model of an RPO round ({@code *KatTest} in this package's tests).
 */
package io.veridict.core.hash;
