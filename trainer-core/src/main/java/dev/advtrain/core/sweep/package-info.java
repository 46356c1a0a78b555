/**
 * Hyperparameter sweeps ({@code advtrain sweep}) on Arbiter: {@link dev.advtrain.core.sweep.SweepConfig}
 * (the YAML: base config, search space over any config key, objective, budget),
 * {@link dev.advtrain.core.sweep.Sweep} (Arbiter's generators and local runner), one ordinary run
 * directory per candidate, and the results table with its Pareto chart and best config.
 */
package dev.advtrain.core.sweep;
