/**
 * The networks a run trains and how they come in: advtrain's own architectures and their optimiser
 * and learning rate schedules ({@code ModelFactory}), DL4J zoo architectures built from scratch
 * ({@code ZooArchitectures}), DL4J and Keras model files ({@code ModelFiles}, {@code KerasModels}),
 * transfer learning ({@code FineTuning}), and the input step every network gets so that it takes
 * pixel rows with its normalisation inside ({@code PixelInput}, {@code NetworkInput}).
 */
package dev.advtrain.core.model;
