/**
 * The {@code veridict} command line behind the {@code ./veridict} launcher: {@code model import},
 * {@code model inspect}, {@code prove}, {@code verify} (decision bundles), {@code bench model},
 * and {@code bench stark} / {@code verify stark} for the example AIRs (reference: docs/cli.md).
 * JMH kernels live in {@code io.veridict.bench.jmh}.
 */
package io.veridict.bench;
