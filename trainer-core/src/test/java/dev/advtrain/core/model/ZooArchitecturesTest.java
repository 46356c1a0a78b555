package dev.advtrain.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Every offered zoo architecture builds from scratch at a small input, with our seed, updater and head. */
class ZooArchitecturesTest {

    private static final double LR = 3e-4;
    private static final double DECAY = 5e-4;

    /** MNIST shape where the architecture accepts it, CIFAR shape otherwise (alexnet: its minimum). */
    private static int[] smallShape(ZooArchitecture arch) {
        if (arch.minSize() <= 28) {
            return new int[] {1, 28, 28};
        }
        return arch.minSize() <= 32 ? new int[] {3, 32, 32} : new int[] {3, arch.minSize(), arch.minSize()};
    }

    private static Model build(ZooArchitecture arch, long seed) {
        int[] s = smallShape(arch);
        return ZooArchitectures.build(arch, s[0], s[1], s[2], 7, seed, new Adam(LR), DECAY);
    }

    private static INDArray output(Model model, INDArray x) {
        return model instanceof MultiLayerNetwork n ? n.output(x, false) : ((ComputationGraph) model).outputSingle(false, x);
    }

    private static List<NeuralNetConfiguration> layerConfs(Model model) {
        if (model instanceof MultiLayerNetwork n) {
            return n.getLayerWiseConfigurations().getConfs();
        }
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        ((ComputationGraph) model).getConfiguration().getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex layer) {
                confs.add(layer.getLayerConf());
            }
        });
        return confs;
    }

    @ParameterizedTest
    @EnumSource(ZooArchitecture.class)
    void buildsAndClassifiesSmallImages(ZooArchitecture arch) {
        Model model = build(arch, 11);
        int[] s = smallShape(arch);
        INDArray p = output(model, Nd4j.rand(new int[] {2, s[0], s[1], s[2]}));
        assertArrayEquals(new long[] {2, 7}, p.shape());
        assertEquals(1.0, p.getRow(0).sumNumber().doubleValue(), 1e-5);
        assertEquals(1.0, p.getRow(1).sumNumber().doubleValue(), 1e-5);

        org.deeplearning4j.nn.api.Layer out = model instanceof MultiLayerNetwork n
                ? n.getOutputLayer() : ((ComputationGraph) model).getOutputLayer(0);
        OutputLayer head = assertInstanceOf(OutputLayer.class, out.conf().getLayer());
        assertInstanceOf(LossMCXENT.class, head.getLossFn());
        assertInstanceOf(ActivationSoftmax.class, head.getActivationFn());
        assertEquals(ZooArchitectures.OUTPUT, head.getLayerName());
    }

    @ParameterizedTest
    @EnumSource(ZooArchitecture.class)
    void ourUpdaterAndWeightDecayReplaceTheZoos(ZooArchitecture arch) {
        Model model = build(arch, 11);
        int trainable = 0;
        for (NeuralNetConfiguration conf : layerConfs(model)) {
            assertTrue(conf.isMiniBatch(), "minibatch gradients");
            if (conf.getLayer() instanceof BaseLayer layer) {
                trainable++;
                Adam adam = assertInstanceOf(Adam.class, layer.getIUpdater(), layer.getLayerName());
                assertEquals(LR, adam.getLearningRate(0, 0), 1e-12);
                assertEquals(null, layer.getBiasUpdater());
                assertEquals(List.of(new WeightDecay(DECAY, true)), layer.getRegularization(), layer.getLayerName());
                assertTrue(layer.getRegularizationBias().isEmpty());
            }
        }
        assertTrue(trainable > 0);
    }

    @ParameterizedTest
    @EnumSource(ZooArchitecture.class)
    void theSeedDecidesTheInitialWeights(ZooArchitecture arch) {
        Model a = build(arch, 5);
        assertEquals(a.params(), build(arch, 5).params());
        if (arch == ZooArchitecture.LENET || arch == ZooArchitecture.SQUEEZENET) {
            assertNotEquals(a.params(), build(arch, 6).params());
        }
    }

    @Test
    void tooSmallAnInputNamesTheMinimum() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> ZooArchitectures.build(
                ZooArchitecture.SQUEEZENET, 1, 28, 28, 10, 1, new Adam(1e-3), 0));
        assertEquals("squeezenet needs inputs of at least 31x31; got 28x28", e.getMessage());
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> ZooArchitecture.byName("resnet18"));
        assertEquals("unknown zoo architecture 'resnet18'; known: lenet, simple-cnn, alexnet, vgg16, resnet50, "
                + "darknet19, squeezenet", e.getMessage());
        assertEquals(ZooArchitecture.RESNET50, ZooArchitecture.byName("ResNet50"));
    }
}
