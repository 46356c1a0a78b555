package dev.advtrain.core.model;

import dev.advtrain.core.config.ModelConfig;
import dev.advtrain.core.config.TrainingConfig;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import dev.advtrain.attacks.transform.ImageShape;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds the built-in classifiers, for MNIST's 28x28 grey images and 10 classes unless an image
 * shape and class count are given; every network takes flat pixel rows {@code [N, C*H*W]}. The
 * sizes below are MNIST's.
 *
 * <ul>
 *   <li>{@code small-cnn}: conv 5x5x16, max-pool, conv 5x5x32, max-pool, dense 256, softmax (147k
 *       parameters; about 1.3x the training throughput of LeNet on a 2-core CPU).
 *   <li>{@code lenet}: conv 5x5x20, max-pool, conv 5x5x50, max-pool, dense 500, softmax (431k).
 *   <li>{@code mlp}: dense 256, dense 256, softmax.
 *   <li>{@code stride-cnn}: conv 4x4x16 stride 2, conv 4x4x32 stride 2 (padding 1 each: 14x14, then
 *       7x7), dense 100, softmax (166k parameters, half the multiply-adds of {@code small-cnn}):
 *       the MNIST network of Wong et al. 2020.
 * </ul>
 */
public final class ModelFactory {

    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;
    public static final int CLASSES = 10;

    private ModelFactory() {
    }

    /**
     * A freshly initialised network of the configured kind: a {@link MultiLayerNetwork}, or with
     * {@code model.graph} the equivalent {@link ComputationGraph} (same layers, same initial weights).
     *
     * @param itersPerEpoch optimiser steps per epoch, for iteration-based learning rate schedules
     */
    public static Model create(ModelConfig model, TrainingConfig training, long seed, int itersPerEpoch) {
        return create(model, training, seed, itersPerEpoch, new ImageShape(1, HEIGHT, WIDTH), CLASSES);
    }

    /**
     * A freshly initialised network for {@code shape} images and {@code classes} classes.
     *
     * @param itersPerEpoch optimiser steps per epoch, for iteration-based learning rate schedules
     */
    public static Model create(ModelConfig model, TrainingConfig training, long seed, int itersPerEpoch,
            ImageShape shape, int classes) {
        MultiLayerNetwork network = build(model, training, seed, itersPerEpoch, shape, classes);
        return model.graph() ? network.toComputationGraph() : network;
    }

    /**
     * A freshly initialised network.
     *
     * @param itersPerEpoch optimiser steps per epoch, for iteration-based learning rate schedules
     */
    public static MultiLayerNetwork build(ModelConfig model, TrainingConfig training, long seed, int itersPerEpoch) {
        return build(model, training, seed, itersPerEpoch, new ImageShape(1, HEIGHT, WIDTH), CLASSES);
    }

    private static MultiLayerNetwork build(ModelConfig model, TrainingConfig training, long seed, int itersPerEpoch,
            ImageShape shape, int classes) {
        InputType flat = InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels());
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.RELU)
                .updater(updater(training, itersPerEpoch))
                .weightDecay(training.weightDecay())
                .list();
        switch (model.arch()) {
            case SMALL_CNN -> convolutional(layers, model.scaled(16), model.scaled(32), model.scaled(256),
                    model.dropout(), classes, flat);
            case LENET -> convolutional(layers, model.scaled(20), model.scaled(50), model.scaled(500),
                    model.dropout(), classes, flat);
            case MLP -> layers
                    .layer(new DenseLayer.Builder().nOut(model.scaled(256)).activation(Activation.RELU).build())
                    .layer(dense(model.scaled(256), model.dropout()))
                    .layer(output(classes))
                    .setInputType(InputType.feedForward((long) shape.channels() * shape.height() * shape.width()));
            case STRIDE_CNN -> layers
                    .layer(strided(model.scaled(16)))
                    .layer(strided(model.scaled(32)))
                    .layer(dense(model.scaled(100), model.dropout()))
                    .layer(output(classes))
                    .setInputType(flat);
            default -> throw new IllegalArgumentException("unknown architecture " + model.arch());
        }
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();
        return network;
    }

    private static void convolutional(NeuralNetConfiguration.ListBuilder layers, int c1, int c2, int hidden, double dropout,
            int classes, InputType input) {
        layers.layer(new ConvolutionLayer.Builder(5, 5).nOut(c1).activation(Activation.RELU).build())
                .layer(maxPool())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(c2).activation(Activation.RELU).build())
                .layer(maxPool())
                .layer(dense(hidden, dropout))
                .layer(output(classes))
                .setInputType(input);
    }

    private static ConvolutionLayer strided(int channels) {
        return new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(channels)
                .activation(Activation.RELU).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    /** A ReLU dense layer; dropout (DL4J's retain probability is 1 - p) applies to its input. */
    private static DenseLayer dense(int units, double dropout) {
        DenseLayer.Builder builder = new DenseLayer.Builder().nOut(units).activation(Activation.RELU);
        if (dropout > 0) {
            builder.dropOut(1.0 - dropout);
        }
        return builder.build();
    }

    private static OutputLayer output(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build();
    }

    /** The optimiser of {@code training}, at its learning rate and schedule. */
    public static IUpdater updater(TrainingConfig training, int itersPerEpoch) {
        return updater(training, training.learningRate(), itersPerEpoch);
    }

    /** The optimiser of {@code training} with its schedule, peaking at (or constant at) {@code learningRate}. */
    public static IUpdater updater(TrainingConfig training, double learningRate, int itersPerEpoch) {
        ISchedule schedule = schedule(training, learningRate, itersPerEpoch);
        return switch (training.optimizer()) {
            case ADAM -> new Adam(schedule);
            case SGD -> new Sgd(schedule);
            case NESTEROVS -> new Nesterovs(schedule, 0.9);
        };
    }

    /** The learning rate schedule; epochs are counted from 0 as DL4J does. */
    static ISchedule schedule(TrainingConfig training, int itersPerEpoch) {
        return schedule(training, training.learningRate(), itersPerEpoch);
    }

    private static ISchedule schedule(TrainingConfig training, double lr, int itersPerEpoch) {
        return switch (training.lrSchedule()) {
            case CONSTANT -> new MapSchedule(ScheduleType.EPOCH, Map.of(0, lr));
            case STEP -> {
                Map<Integer, Double> values = new HashMap<>();
                values.put(0, lr);
                double current = lr;
                for (int milestone : training.lrMilestones()) {
                    current *= training.lrDecay();
                    values.put(milestone - 1, current); // milestone N (1-based) starts at epoch index N-1
                }
                yield new MapSchedule(ScheduleType.EPOCH, values);
            }
            case COSINE -> new CosineSchedule(lr, (long) training.epochs() * itersPerEpoch);
            case CYCLIC -> new CyclicSchedule(lr, (long) training.epochs() * itersPerEpoch, training.lrPeak());
        };
    }
}
