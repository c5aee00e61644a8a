package io.veridict.core.proof;

/** Interim placeholder; replaced by the estimator work in progress. */
public record ProtocolShape(
    int logTraceLength,
    int traceDegreeBound,
    int logLdeDomainSize,
    int maxConstraintDegree,
    int numConstraints,
    int numCommittedPolynomials,
    int numQuotientChunks,
    int numFriLayers) {}
