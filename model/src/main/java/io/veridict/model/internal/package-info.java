/**
 * Implementation of the decision circuit: the public program ({@link
 * io.veridict.model.internal.DecisionProgram}), the AIR ({@link
 * io.veridict.model.internal.DecisionAir}), the witness builder ({@link
 * io.veridict.model.internal.DecisionTrace}) and the strict JSON reader. Not API.
 */
package io.veridict.model.internal;
