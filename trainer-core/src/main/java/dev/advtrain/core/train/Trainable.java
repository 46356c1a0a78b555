package dev.advtrain.core.train;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.model.GradientMode;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What the training recipes need of a DL4J model, for a {@link MultiLayerNetwork} and a
 * single-input, single-output {@link ComputationGraph} alike: optimiser steps, the input gradient
 * of the step's own backward pass, the output layer's loss, and snapshots of weights and updater
 * state for rolling back.
 */
public sealed interface Trainable permits MultiLayerTrainable, GraphTrainable {

    /** The model wrapped, for a {@link MultiLayerNetwork} or a single-input, single-output graph. */
    static Trainable of(Model model) {
        if (model instanceof MultiLayerNetwork network) {
            return new MultiLayerTrainable(network);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphTrainable(graph);
        }
        throw new IllegalArgumentException("cannot train a " + model.getClass().getName()
                + ": expected a MultiLayerNetwork or ComputationGraph");
    }

    /** The DL4J model. */
    Model model();

    /** An independent copy: configuration, weights and updater state. */
    Trainable copy();

    /** One optimiser step on the batch; returns the loss DL4J reports for it. */
    double fit(INDArray x, INDArray labels);

    /**
     * One optimiser step on the batch whose backward pass also yields the gradient of the summed
     * loss with respect to the input: the weights' and the input's gradients cost one forward and
     * one backward pass together (free adversarial training). The forward pass is in training mode.
     */
    StepWithInputGradient fitWithInputGradient(INDArray x, INDArray labels);

    /** The loss of a step and the input gradient of its backward pass, shaped like the input. */
    record StepWithInputGradient(double loss, INDArray inputGradient) {
    }

    /** Inference-mode outputs (probabilities for a softmax classifier). */
    INDArray output(INDArray x);

    /** The attack view of the model, differentiated in {@code mode}. */
    default DifferentiableClassifier classifier(GradientMode mode) {
        return Classifiers.of(model(), mode);
    }

    /** Updates (optimiser steps) taken so far. */
    long iterationCount();

    /** Epochs completed, as DL4J's epoch-based schedules read it. */
    void setEpochCount(int epochs);

    /** The learning rate of the first trainable layer at the current iteration, NaN if none. */
    double learningRate();

    /** Trainable parameters. */
    long numParams();

    /** The configuration of the output layer, whose loss the recipes may swap. */
    BaseOutputLayer outputLayerConf();

    /**
     * Trains with {@code loss} in place of the output layer's loss until the returned handle is
     * closed. The model is never saved in between, so files keep the original loss.
     */
    default LossSwap useLoss(ILossFunction loss) {
        BaseOutputLayer conf = outputLayerConf();
        ILossFunction original = conf.getLossFn();
        conf.setLossFn(loss);
        return () -> conf.setLossFn(original);
    }

    /** Restores the output layer's loss. */
    interface LossSwap extends AutoCloseable {
        @Override
        void close();
    }

    /** A copy of the parameters, the updater state and the counters. */
    Snapshot snapshot();

    /**
     * Puts back the parameters and updater state {@link #snapshot()} copied. The iteration count
     * goes on, so learning-rate schedules keep their course.
     */
    void restore(Snapshot snapshot);

    /** Parameters, updater state (null for a stateless updater) and the iteration they were taken at. */
    record Snapshot(INDArray params, INDArray updaterState, long iteration) {
    }
}
