package dev.advtrain.attacks.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tiny networks for tests, shared with other modules through the test-jar. Inputs are 1x6x6
 * images flattened to 36 values, 4 classes (see {@link TinyData}).
 */
public final class TinyModels {

    public static final int SIDE = 6;
    public static final int CLASSES = 4;

    private TinyModels() {
    }

    /** A dense classifier: 36 - 32 - 4. */
    public static MultiLayerNetwork mlp(long seed, DataType dataType) {
        MultiLayerConfiguration conf = base(seed, dataType).list()
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(output())
                .setInputType(InputType.feedForward(SIDE * SIDE))
                .build();
        return init(conf);
    }

    /**
     * A CNN with every mode-dependent part: dropout, batch norm on convolutional and on dense
     * activations, max pooling.
     */
    public static MultiLayerNetwork cnnWithDropoutAndBatchNorm(long seed, DataType dataType) {
        MultiLayerConfiguration conf = base(seed, dataType).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.IDENTITY).dropOut(0.7).build())
                .layer(new BatchNormalization.Builder().useLogStd(true).activation(Activation.SIGMOID).build())
                .layer(output())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1))
                .build();
        return init(conf);
    }

    /** The same architecture as {@link #cnnWithDropoutAndBatchNorm} as a ComputationGraph. */
    public static ComputationGraph graphWithDropoutAndBatchNorm(long seed, DataType dataType) {
        ComputationGraphConfiguration conf = base(seed, dataType).graphBuilder()
                .addInputs("pixels")
                .setInputTypes(InputType.convolutionalFlat(SIDE, SIDE, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "pixels")
                .addLayer("bn1", new BatchNormalization.Builder().activation(Activation.TANH).build(), "conv")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "bn1")
                .addLayer("dense", new DenseLayer.Builder().nOut(12).activation(Activation.IDENTITY).dropOut(0.7).build(), "pool")
                .addLayer("bn2", new BatchNormalization.Builder().useLogStd(true).activation(Activation.SIGMOID).build(), "dense")
                .addLayer("out", output(), "bn2")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** A small CNN that takes images as [N, 1, 6, 6] rather than flat rows (see {@link TinyData#asImages}). */
    public static MultiLayerNetwork cnnNchw(long seed, DataType dataType) {
        MultiLayerConfiguration conf = base(seed, dataType).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(output())
                .setInputType(InputType.convolutional(SIDE, SIDE, 1))
                .build();
        return init(conf);
    }

    /**
     * An accurate, non-robust MLP: 80 full-batch steps on 400 quadrant images (clean accuracy above
     * 0.9 on fresh ones), the standard target for strength tests.
     */
    public static MultiLayerNetwork trainedMlp(long seed) {
        return train(mlp(seed, DataType.FLOAT), TinyData.quadrants(400, seed, DataType.FLOAT), 80);
    }

    /** Trains a network for a number of full-batch steps. */
    public static <M extends org.deeplearning4j.nn.api.Model> M train(M model, DataSet data, int iterations) {
        for (int i = 0; i < iterations; i++) {
            if (model instanceof MultiLayerNetwork net) {
                net.fit(data);
            } else {
                ((ComputationGraph) model).fit(data);
            }
        }
        return model;
    }

    private static NeuralNetConfiguration.Builder base(long seed, DataType dataType) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType).updater(new Adam(0.01));
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
