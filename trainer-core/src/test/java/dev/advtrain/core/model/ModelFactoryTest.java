package dev.advtrain.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.advtrain.core.config.Architecture;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every built-in architecture takes flattened 28x28 images and gives 10 class probabilities, in either form. */
class ModelFactoryTest {

    private static RunConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides), Map.of()).validate();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyArchitectureClassifiesMnistShapedImages(Architecture arch) {
        RunConfig c = config("model.arch=" + arch.id());
        MultiLayerNetwork network = ModelFactory.build(c.model(), c.training(), 1, 10);
        INDArray p = network.output(Nd4j.rand(5, 784), false);
        assertArrayEquals(new long[] {5, 10}, p.shape());
        assertEquals(5.0, p.sumNumber().doubleValue(), 1e-4, "rows of probabilities");
    }

    @Test
    void strideCnnIsWongEtAlsNetwork() {
        RunConfig c = config("model.arch=stride-cnn");
        MultiLayerNetwork network = ModelFactory.build(c.model(), c.training(), 1, 10);
        // conv 4x4x16 (272), conv 4x4x32 on 16 channels (8,224), dense 7*7*32 -> 100 (156,900), output (1,010)
        assertEquals(272 + 8_224 + 156_900 + 1_010, network.numParams());
    }

    @Test
    void widthScalesEveryHiddenLayer() {
        RunConfig c = config("model.arch=stride-cnn", "model.width=0.5");
        MultiLayerNetwork network = ModelFactory.build(c.model(), c.training(), 1, 10);
        // conv 4x4x8 (136), conv 4x4x16 on 8 channels (2,064), dense 7*7*16 -> 50 (39,250), output (510)
        assertEquals(136 + 2_064 + 39_250 + 510, network.numParams());
        RunConfig wide = config("model.arch=mlp", "model.width=1.5");
        // 784 -> 384 (301,440), 384 -> 384 (147,840), 384 -> 10 (3,850)
        assertEquals(301_440 + 147_840 + 3_850, ModelFactory.build(wide.model(), wide.training(), 1, 10).numParams());
    }

    @Test
    void graphFormHasTheSameWeightsAndOutputs() {
        RunConfig c = config("model.graph=true");
        ComputationGraph graph = assertInstanceOf(ComputationGraph.class, ModelFactory.create(c.model(), c.training(), 3, 10));
        MultiLayerNetwork network = assertInstanceOf(MultiLayerNetwork.class,
                ModelFactory.create(config().model(), c.training(), 3, 10));
        INDArray x = Nd4j.rand(4, 784);
        assertEquals(network.params(), graph.params());
        assertEquals(network.output(x, false), graph.outputSingle(false, x));
    }
}
