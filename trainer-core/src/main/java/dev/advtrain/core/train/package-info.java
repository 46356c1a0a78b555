/**
 * The adversarial training loop ({@link dev.advtrain.core.train.AdversarialTrainer}), the mixing
 * policies and eps schedule it follows, and the listeners that hang on it.
 */
package dev.advtrain.core.train;
