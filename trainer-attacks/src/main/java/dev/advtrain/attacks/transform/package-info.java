/**
 * Input transformations that defences put in front of a model (random noise, bit-depth reduction,
 * median smoothing, JPEG compression, random shifts, random resizing and padding), each with the
 * vector-Jacobian product of the transform it drew, and the model wrappers that let gradient
 * attacks see through them: {@link
 * dev.advtrain.attacks.transform.DefendedClassifier} (the defence differentiated naively), {@link
 * dev.advtrain.attacks.transform.ExpectationOverTransformation} (EOT) and {@link
 * dev.advtrain.attacks.transform.BackwardPassDifferentiableApproximation} (BPDA).
 */
package dev.advtrain.attacks.transform;
