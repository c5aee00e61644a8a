/**
 * Polynomials over Goldilocks: radix-2/4 NTTs with cache blocking, coset low-degree extension via
 * subgroup cosets, interpolation, Horner and barycentric evaluation at out-of-domain extension
 * points.
 */
package io.veridict.core.poly;
