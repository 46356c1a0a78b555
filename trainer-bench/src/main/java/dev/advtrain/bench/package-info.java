/**
 * Benchmarks: JMH ({@code bench/run}) for training steps, gradient passes and attacks, the attack
 * loop overhead command ({@code bench/run-overhead}), and the epoch cost of each training recipe
 * against clean training ({@code bench/run-recipes}, issue 5); numbers in docs/results.md and
 * docs/performance.md.
 */
package dev.advtrain.bench;
