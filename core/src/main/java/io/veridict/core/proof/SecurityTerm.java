package io.veridict.core.proof;

/** Interim placeholder; replaced by the estimator work in progress. */
public record SecurityTerm(String name, String regime, double bits, String formula) {}
