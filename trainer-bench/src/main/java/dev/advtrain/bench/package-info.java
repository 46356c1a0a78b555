/** JMH benchmarks; run them with {@code bench/run} (numbers in docs/results.md). */
package dev.advtrain.bench;
