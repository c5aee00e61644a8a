package io.veridict.core.proof;

/**
 * One term of a security estimate: the bits an attacker must overcome on one path.
 *
 * @param name what the term bounds (e.g. "FRI queries + grinding")
 * @param regime {@code conjectured}, {@code unique-decoding}, {@code list-decoding} or {@code hash}
 * @param bits the term's security in bits ({@code -log2} of the soundness error)
 * @param formula the formula, with this instance's numbers, for people
 */
public record SecurityTerm(String name, String regime, double bits, String formula) {}
