package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Builds DL4J zoo architectures from scratch as starting points: random initialisation with our
 * seed (pretrained weights are never downloaded), any input shape the architecture accepts, and
 * our updater and weight decay in place of the zoo's training settings.
 *
 * <p>Every network takes NCHW input {@code [N, channels, height, width]} and ends in a dense
 * softmax {@link OutputLayer} with MCXENT loss, so {@link dev.advtrain.core.train.Trainable} and
 * transfer learning see the same head everywhere. Where the zoo ends otherwise, the head is
 * normalised:
 *
 * <ul>
 *   <li>alexnet: the negative log-likelihood output layer gets MCXENT (the same loss for softmax
 *       outputs); vgg16: the output vertex {@code 20} becomes a fresh MCXENT layer named
 *       {@value #OUTPUT};
 *   <li>resnet50: the zoo's 3x3 max-pool and flatten head (which needs 224x224 input) becomes the
 *       paper's global average pooling;
 *   <li>simple-cnn, darknet19, squeezenet: the last convolution to {@code classes} channels, global
 *       pooling and softmax activation/loss layer become global average pooling and a dense output
 *       layer (for darknet19's 1x1 identity convolution this is the same function class).
 * </ul>
 *
 * <p>The zoo's own updater, bias updater, L1/L2, gradient normalisation and non-minibatch setting
 * are all replaced: every layer gets {@code updater}, decoupled weight decay {@code weightDecay}
 * on the weights as in {@link ModelFactory}, no gradient normalisation, and mean (minibatch)
 * gradients. Dropout and weight initialisation stay the zoo's.
 *
 * <pre>{@code
 * Model net = ZooArchitectures.build(ZooArchitecture.RESNET50, 3, 32, 32, 10, 42, new Adam(1e-3), 5e-4);
 * }</pre>
 */
public final class ZooArchitectures {

    /** The name of the dense softmax output layer every built network ends in. */
    public static final String OUTPUT = "output";

    private ZooArchitectures() {
    }

    /**
     * A freshly initialised zoo network.
     *
     * @param channels, height, width the input shape (NCHW)
     * @param classes the number of classes of the softmax output
     * @param seed the seed of the random initialisation
     * @param updater the optimiser of every layer (cloned per layer)
     * @param weightDecay decoupled weight decay on the weights, 0 for none
     * @throws UserErrorException if the input is smaller than the architecture accepts
     */
    public static Model build(ZooArchitecture arch, int channels, int height, int width, int classes, long seed,
            IUpdater updater, double weightDecay) {
        if (channels < 1 || classes < 2) {
            throw new UserErrorException(arch.configName() + ": need at least 1 input channel and 2 classes; got "
                    + channels + " channels and " + classes + " classes");
        }
        if (Math.min(height, width) < arch.minSize()) {
            throw new UserErrorException(arch.configName() + " needs inputs of at least " + arch.minSize() + "x"
                    + arch.minSize() + "; got " + height + "x" + width);
        }
        int[] shape = {channels, height, width};
        FineTuneConfiguration fresh = new FineTuneConfiguration.Builder().seed(seed).updater(updater).build();
        Nd4j.getRandom().setSeed(seed); // layers added by TransferLearning draw from the global generator
        Model network = switch (arch) {
            case LENET -> LeNet.builder().seed(seed).inputShape(shape).numClasses(classes).updater(updater).build().init();
            case ALEXNET -> mcxent(AlexNet.builder().seed(seed).inputShape(shape).numClasses(classes).updater(updater)
                    .build().init());
            case VGG16 -> new TransferLearning.GraphBuilder(VGG16.builder().seed(seed).inputShape(shape)
                    .numClasses(classes).updater(updater).build().init())
                    .fineTuneConfiguration(fresh)
                    .removeVertexAndConnections("20") // the zoo's output vertex, numbered like the others
                    .addLayer(OUTPUT, output(4096, classes), "19")
                    .setOutputs(OUTPUT)
                    .build();
            case SIMPLE_CNN -> new TransferLearning.Builder((MultiLayerNetwork) SimpleCNN.builder().seed(seed)
                    .inputShape(shape).numClasses(classes).updater(updater).build().init())
                    .fineTuneConfiguration(fresh)
                    .removeLayersFromOutput(3) // conv 3x3 to classes, global pooling, softmax activation
                    .addLayer(globalAveragePooling())
                    .addLayer(output(256, classes))
                    .build();
            case RESNET50 -> {
                ComputationGraphConfiguration.GraphBuilder graph = ResNet50.builder().seed(seed).inputShape(shape)
                        .numClasses(classes).updater(updater).build().graphBuilder();
                graph.removeVertex("output", true).removeVertex("avgpool", true)
                        .addLayer("avgpool", globalAveragePooling(), "res5c_branch")
                        .addLayer(OUTPUT, output(2048, classes), "avgpool")
                        .setOutputs(OUTPUT);
                ComputationGraph resnet = new ComputationGraph(graph.build());
                resnet.init();
                yield resnet;
            }
            case DARKNET19 -> new TransferLearning.GraphBuilder(Darknet19.builder().seed(seed).inputShape(shape)
                    .numClasses(classes).updater(updater).build().init())
                    .fineTuneConfiguration(fresh)
                    .removeVertexAndConnections("loss").removeVertexAndConnections("softmax")
                    .removeVertexAndConnections("globalpooling").removeVertexAndConnections("convolution2d_19")
                    .addLayer("globalpooling", globalAveragePooling(), "activation_18")
                    .addLayer(OUTPUT, output(1024, classes), "globalpooling")
                    .setOutputs(OUTPUT)
                    .build();
            case SQUEEZENET -> new TransferLearning.GraphBuilder(SqueezeNet.builder().seed(seed).inputShape(shape)
                    .numClasses(classes).updater(updater).build().init())
                    .fineTuneConfiguration(fresh)
                    .removeVertexAndConnections("loss").removeVertexAndConnections("softmax")
                    .removeVertexAndConnections("avg_pool").removeVertexAndConnections("conv10_act")
                    .removeVertexAndConnections("conv10")
                    .addLayer("avg_pool", globalAveragePooling(), "drop9")
                    .addLayer(OUTPUT, output(512, classes), "avg_pool")
                    .setOutputs(OUTPUT)
                    .build();
        };
        return withTrainingSettings(network, updater, weightDecay);
    }

    /** Our updater, weight decay and plain minibatch gradients on every layer; the weights are kept. */
    private static Model withTrainingSettings(Model network, IUpdater updater, double weightDecay) {
        if (network instanceof MultiLayerNetwork mln) {
            var conf = mln.getLayerWiseConfigurations();
            conf.getConfs().forEach(layer -> retrain(layer, updater, weightDecay));
            MultiLayerNetwork rebuilt = new MultiLayerNetwork(conf);
            rebuilt.init(mln.params(), false);
            return rebuilt;
        }
        ComputationGraph graph = (ComputationGraph) network;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                retrain(layer.getLayerConf(), updater, weightDecay);
            }
        }
        ComputationGraph rebuilt = new ComputationGraph(conf);
        rebuilt.init(graph.params(), false);
        return rebuilt;
    }

    private static void retrain(NeuralNetConfiguration conf, IUpdater updater, double weightDecay) {
        conf.setMiniBatch(true);
        if (conf.getLayer() instanceof BaseLayer layer) {
            layer.setIUpdater(updater.clone());
            layer.setBiasUpdater(null);
            List<Regularization> decay = new ArrayList<>();
            if (weightDecay > 0) {
                decay.add(new WeightDecay(weightDecay, true));
            }
            layer.setRegularization(decay);
            layer.setRegularizationBias(new ArrayList<>());
            layer.setGradientNormalization(GradientNormalization.None);
        }
    }

    /** The zoo's negative log-likelihood output as MCXENT (the same loss for a softmax output). */
    private static Model mcxent(Model network) {
        MultiLayerNetwork mln = (MultiLayerNetwork) network;
        BaseOutputLayer out = (BaseOutputLayer) mln.getLayerWiseConfigurations().getConf(mln.getnLayers() - 1).getLayer();
        out.setLossFn(new LossMCXENT());
        return network;
    }

    private static GlobalPoolingLayer globalAveragePooling() {
        return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
    }

    /** The dense softmax output layer every built network ends in. */
    static OutputLayer output(long nIn, int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name(OUTPUT).nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
    }
}
