/**
 * The {@code veridict} command line behind the {@code ./veridict} launcher: {@code bench stark}
 * and {@code verify stark}. JMH kernels live in {@code io.veridict.bench.jmh}.
 */
package io.veridict.bench;
