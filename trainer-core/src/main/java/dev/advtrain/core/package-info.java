/**
 * advtrain's training side: configuration ({@code config}), data ({@code data}), model construction
 * ({@code model}), the adversarial training loop and its listeners ({@code train}), robustness
 * evaluation ({@code eval}) and run directories with checkpoints ({@code run}).
 */
package dev.advtrain.core;
