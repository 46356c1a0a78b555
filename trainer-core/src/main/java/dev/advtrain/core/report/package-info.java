/**
 * Files that show what an attack did, for people and for other tools: NumPy {@code .npy} arrays
 * ({@link dev.advtrain.core.report.Npy}), PNG grids of original, perturbation and adversarial
 * images ({@link dev.advtrain.core.report.AdversarialGrid}), and the output directory of
 * {@code advtrain attack} ({@link dev.advtrain.core.report.AttackOutputs}).
 */
package dev.advtrain.core.report;
