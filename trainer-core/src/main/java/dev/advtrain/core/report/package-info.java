/**
 * Files that show what an attack did, for people and for other tools: NumPy {@code .npy} arrays
 * ({@link dev.advtrain.core.report.Npy}), PNG grids of original, perturbation and adversarial
 * images ({@link dev.advtrain.core.report.AdversarialGrid}), and the output directory of
 * {@code advtrain attack} ({@link dev.advtrain.core.report.AttackOutputs}), and the evaluation
 * report rendered for people: its charts ({@link dev.advtrain.core.report.SuiteCharts}) and one
 * self-contained HTML page ({@link dev.advtrain.core.report.SuiteHtml}). Classes are shown by the
 * model's class names where it has them ({@link dev.advtrain.core.report.ClassNames}).
 */
package dev.advtrain.core.report;
