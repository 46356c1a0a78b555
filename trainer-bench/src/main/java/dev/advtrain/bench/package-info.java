/**
 * Benchmarks: JMH ({@code bench/run}) for training steps, gradient passes and attacks, and the
 * attack loop overhead command ({@code bench/run-overhead}); numbers in docs/results.md and
 * docs/performance.md.
 */
package dev.advtrain.bench;
