/**
 * The Goldilocks field {@code p = 2^64 - 2^32 + 1} on canonical unsigned {@code long}s and its
 * extensions: quadratic {@code F_p[u]/(u^2 - 7)} (as Plonky3) and cubic {@code F_p[u]/(u^3 - u -
 * 1)} (as Winterfell). Pinned constants: generator 7, two-adicity 32, primitive 2^32-th root
 * {@code 7^((p-1)/2^32) = 0x185629dcda58878c} (Plonky3's; Winterfell's root differs). All
 * arithmetic is tested against a BigInteger oracle.
 */
package io.veridict.core.field;
