/**
 * Robustness evaluation: clean and robust accuracy of a model as deployed, and the report schema;
 * single attack runs that keep every adversarial example ({@code AttackRunner},
 * {@code AdversarialExamples}) and their summary ({@code AttackSummary}).
 */
package dev.advtrain.core.eval;
