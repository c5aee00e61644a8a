/**
 * The standalone verifier a regulator runs: {@code java -jar veridict-verifier.jar BUNDLE.json
 * [--expect-model COMMITMENT] [--json]}. Built from {@code core}, {@code verifier} and the
 * verifying half of {@code model} only — the jar contains no prover code (a test checks).
 */
package io.veridict.verifierapp;
