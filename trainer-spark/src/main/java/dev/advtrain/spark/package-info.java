/**
 * Adversarial training on Apache Spark with DL4J's parameter averaging: the Spark backend of a
 * training run ({@link dev.advtrain.spark.SparkTraining}), its epoch loop on the driver ({@link
 * dev.advtrain.spark.SparkAdversarialTrainer}) and the hook that makes each worker's minibatch
 * adversarial with the worker's own replica ({@link dev.advtrain.spark.AdversarialHook}).
 */
package dev.advtrain.spark;
