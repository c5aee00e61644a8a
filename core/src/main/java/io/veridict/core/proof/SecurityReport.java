package io.veridict.core.proof;

import java.util.List;

/** Interim placeholder; replaced by the estimator work in progress. */
public record SecurityReport(
    double conjecturedBits,
    double provenUniqueDecodingBits,
    double provenListDecodingBits,
    int hashCollisionBits,
    List<SecurityTerm> terms) {}
