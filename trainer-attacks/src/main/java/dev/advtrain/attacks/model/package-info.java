/**
 * Adapters from Deeplearning4j models ({@code MultiLayerNetwork}, {@code ComputationGraph}) to the
 * narrow capabilities attacks use, with inference-mode input gradients.
 */
package dev.advtrain.attacks.model;
