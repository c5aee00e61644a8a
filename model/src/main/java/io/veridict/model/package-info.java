/**
 * Verifiable ML decisions: the float models Veridict imports ({@link io.veridict.model.FloatModel}
 * and its closed set of families), their quantized fixed-point form, commitments, the decision AIR
 * and its witness.
 */
package io.veridict.model;
