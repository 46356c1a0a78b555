/**
 * Adversarial attacks: the capability interfaces they see of a model ({@link
 * dev.advtrain.attacks.Classifier}, {@link dev.advtrain.attacks.DifferentiableClassifier}), threat
 * models ({@link dev.advtrain.attacks.Norm}), criteria, and the attacks themselves, all guarded by
 * {@link dev.advtrain.attacks.Attack#generate}.
 */
package dev.advtrain.attacks;
