/**
 * Algebraic intermediate representations as data: {@link io.veridict.core.air.Air}, symbolic
 * constraint expressions ({@link io.veridict.core.air.Expr}) whose degrees are inferred by {@link
 * io.veridict.core.air.Degrees}, boundary constraints, the AIR identity (a hash of the constraint
 * system) and a single-point evaluator used by the verifier at the out-of-domain point.
 */
package io.veridict.core.air;
