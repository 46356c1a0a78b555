/**
 * advtrain's training side: configuration ({@code config}), data ({@code data}), model construction
 * ({@code model}), the adversarial training loop and its listeners ({@code train}), robustness
 * evaluation and attack runs ({@code eval}), run directories with checkpoints ({@code run}) and
 * the files that show an attack's results ({@code report}).
 */
package dev.advtrain.core;
