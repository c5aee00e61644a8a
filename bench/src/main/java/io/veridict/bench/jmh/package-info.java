/** JMH kernels of the prover (run with {@code ./veridict jmh KernelBenchmarks}). */
package io.veridict.bench.jmh;
