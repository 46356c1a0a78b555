/**
 * Run configuration: the immutable {@link dev.advtrain.core.config.RunConfig} with its sections
 * (data, model, training, adversarial, validation, evaluation, output), each key with a documented
 * default; {@link dev.advtrain.core.config.ConfigLoader}, which reads it from YAML plus {@code --set}
 * overrides and validates it in one place; and the enumerations the YAML names ({@code fgsm-rs},
 * {@code small-cnn}, ...). {@code configs/mnist-default.yaml} is the annotated reference config.
 */
package dev.advtrain.core.config;
