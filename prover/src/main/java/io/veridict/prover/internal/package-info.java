/**
 * Prover internals, public only so benchmarks can reach them: Merkle tree building with salted
 * leaves, block-wise constraint evaluation, the FRI commit phase and the zero-knowledge mask
 * streams. Not API; may change without notice.
 */
package io.veridict.prover.internal;
