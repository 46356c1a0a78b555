package dev.advtrain.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.train.Trainable;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Freezing, output replacement and the fine-tuning rate on the project's own small-cnn (conv, pool,
 * conv, pool, dense, output) in both forms, and on a zoo graph with branches.
 */
class FineTuningTest {

    private static final int N = 8;

    private static Model network(boolean graph) {
        RunConfig c = ConfigLoader.load(null, List.of("model.arch=small-cnn", "model.graph=" + graph,
                "training.optimizer=sgd", "training.learning_rate=0.1"), Map.of()).validate();
        return ModelFactory.create(c.model(), c.training(), 3, 10);
    }

    private static INDArray x() {
        Nd4j.getRandom().setSeed(17);
        return Nd4j.rand(N, 784);
    }

    private static INDArray labels(int classes) {
        INDArray y = Nd4j.zeros(N, classes);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }

    private static Layer[] layers(Model model) {
        return model instanceof MultiLayerNetwork n ? n.getLayers() : ((ComputationGraph) model).getLayers();
    }

    private static String name(Layer layer) {
        return layer.conf().getLayer().getLayerName();
    }

    private static List<INDArray> paramsByLayer(Model model) {
        List<INDArray> params = new ArrayList<>();
        for (Layer layer : layers(model)) {
            params.add(layer.params() == null ? Nd4j.empty() : layer.params().dup());
        }
        return params;
    }

    /** The configuration of the network's layer number {@code layer}, as saved. */
    private static org.deeplearning4j.nn.conf.layers.Layer layerConf(Model model, int layer) {
        if (model instanceof MultiLayerNetwork n) {
            return n.getLayerWiseConfigurations().getConf(layer).getLayer();
        }
        var vertex = ((ComputationGraph) model).getConfiguration().getVertices().get(name(layers(model)[layer]));
        return ((org.deeplearning4j.nn.conf.graph.LayerVertex) vertex).getLayerConf().getLayer();
    }

    private static boolean frozen(Model model, int layer) {
        return layerConf(model, layer) instanceof FrozenLayerWithBackprop;
    }

    /** Freezing the first 3 layers (conv, pool, conv) by count or by the name of the third. */
    private static TransferSpec freezeThree(Model model, boolean byName) {
        return byName ? new TransferSpec(0, name(layers(model)[2]), 0, null) : new TransferSpec(3, null, 0, null);
    }

    @ParameterizedTest(name = "graph={0}, byName={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void frozenLayersKeepTheirWeightsThroughFitting(boolean graph, boolean byName) {
        Model original = network(graph);
        Model tuned = FineTuning.apply(original, freezeThree(original, byName), 1);
        List<INDArray> before = paramsByLayer(tuned);
        Trainable trainable = Trainable.of(tuned);
        for (int step = 0; step < 4; step++) {
            trainable.fit(x(), labels(10));
        }
        List<INDArray> after = paramsByLayer(tuned);
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).length() == 0) {
                continue; // pooling
            }
            if (i < 3) {
                assertTrue(frozen(tuned, i), "layer " + i + " frozen");
                assertEquals(before.get(i), after.get(i), "frozen layer " + i);
            } else {
                assertNotEquals(before.get(i), after.get(i), "trainable layer " + i);
            }
        }
        assertEquals(paramsByLayer(original).get(0), before.get(0), "weights carried over");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aNewClassCountReplacesOnlyTheOutputLayer(boolean graph) {
        Model original = network(graph);
        List<INDArray> originalParams = paramsByLayer(original);
        Model tuned = FineTuning.apply(original, new TransferSpec(0, null, 5, null), 9);

        INDArray p = Trainable.of(tuned).output(x());
        assertArrayEquals(new long[] {N, 5}, p.shape());
        List<INDArray> tunedParams = paramsByLayer(tuned);
        for (int i = 0; i < originalParams.size() - 1; i++) {
            assertEquals(originalParams.get(i), tunedParams.get(i), "layer " + i + " kept");
        }
        Layer[] layers = layers(tuned);
        OutputLayer head = assertInstanceOf(OutputLayer.class, layers[layers.length - 1].conf().getLayer());
        assertInstanceOf(LossMCXENT.class, head.getLossFn());
        assertEquals(name(layers(original)[layers.length - 1]), head.getLayerName());
        assertEquals(paramsByLayer(FineTuning.apply(original, new TransferSpec(0, null, 5, null), 9)).get(layers.length - 1),
                tunedParams.get(layers.length - 1), "seeded initialisation");
        assertEquals(10, Trainable.of(original).output(x()).size(1), "the original is untouched");
        Trainable.of(tuned).fit(x(), labels(5));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainableLayersUseTheFineTuningRate(boolean graph) {
        Model tuned = FineTuning.apply(network(graph), new TransferSpec(2, null, 0, new Adam(0.005)), 1);
        Layer[] layers = layers(tuned);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].numParams() == 0) {
                continue;
            }
            IUpdater updater = ((BaseLayer) layers[i].conf().getLayer()).getIUpdater();
            if (i < 2) {
                assertTrue(frozen(tuned, i));
                assertNull(layerConf(tuned, i).getUpdaterByParam("W"), "no updater: DL4J leaves the parameters alone");
            } else {
                assertEquals(0.005, updater.getLearningRate(0, 0), 1e-12, "layer " + i);
            }
        }
        assertEquals(0.005, Trainable.of(tuned).learningRate(), 1e-12);
        assertEquals(0, Trainable.of(tuned).iterationCount());
    }

    /** Attacks need dL/dx: it must pass through frozen layers exactly as through the original ones. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theInputGradientFlowsThroughFrozenLayers(boolean graph) {
        Model original = network(graph);
        Model tuned = FineTuning.apply(original, new TransferSpec(5, null, 0, null), 1);
        if (!graph) { // DL4J's own input gradient, before either network takes a step
            INDArray reference = ((MultiLayerNetwork) original).calculateGradients(x(), labels(10), null, null).getSecond();
            INDArray direct = ((MultiLayerNetwork) tuned).calculateGradients(x(), labels(10), null, null).getSecond();
            assertEquals(0.0, reference.sub(direct).amaxNumber().doubleValue(), 1e-6, "calculateGradients");
        }
        INDArray expected = Trainable.of(original).fitWithInputGradient(x(), labels(10)).inputGradient();
        List<INDArray> frozenBefore = paramsByLayer(tuned);
        INDArray actual = Trainable.of(tuned).fitWithInputGradient(x(), labels(10)).inputGradient();
        assertArrayEquals(new long[] {N, 784}, actual.shape());
        assertTrue(expected.amaxNumber().doubleValue() > 1e-4, "a gradient to compare");
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-6);
        List<INDArray> frozenAfter = paramsByLayer(tuned);
        for (int i = 0; i < 5; i++) {
            assertEquals(frozenBefore.get(i), frozenAfter.get(i), "frozen layer " + i);
        }
        assertNotEquals(frozenBefore.get(5), frozenAfter.get(5), "the output layer trains");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void frozenLayersStayFrozenThroughASaveAndLoad(boolean graph, @TempDir Path dir) throws Exception {
        Model tuned = FineTuning.apply(network(graph), new TransferSpec(3, null, 0, new Adam(0.01)), 1);
        Trainable.of(tuned).fit(x(), labels(10));
        File file = dir.resolve("tuned.zip").toFile();
        ModelSerializer.writeModel(tuned, file, true);

        Model loaded = ModelFiles.load(file.toPath(), true);
        assertEquals(tuned.getClass(), loaded.getClass());
        assertEquals(tuned.params(), loaded.params());
        for (int i = 0; i < 3; i++) {
            assertTrue(frozen(loaded, i), "layer " + i + " frozen after loading");
        }
        List<INDArray> before = paramsByLayer(loaded);
        Trainable.of(loaded).fitWithInputGradient(x(), labels(10));
        Trainable.of(loaded).fit(x(), labels(10));
        List<INDArray> after = paramsByLayer(loaded);
        assertEquals(before.get(0), after.get(0));
        assertEquals(before.get(2), after.get(2));
        assertNotEquals(before.get(4), after.get(4));
        assertEquals(0.01, Trainable.of(loaded).learningRate(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mistakesAreOneLineUserErrors(boolean graph) {
        Model model = network(graph);
        String prefix = graph ? "" : "layer"; // MultiLayerNetwork's default names; toComputationGraph numbers them
        String names = String.join(", ", List.of(0, 1, 2, 3, 4, 5).stream().map(i -> prefix + i).toList());
        UserErrorException unknown = assertThrows(UserErrorException.class,
                () -> FineTuning.apply(model, new TransferSpec(0, "conv9", 0, null), 1));
        assertEquals("finetune.freeze_up_to: no layer named 'conv9'; layers: " + names, unknown.getMessage());
        UserErrorException tooMany = assertThrows(UserErrorException.class,
                () -> FineTuning.apply(model, new TransferSpec(6, null, 0, null), 1));
        assertEquals("finetune.freeze must be less than the number of layers (6): the output layer cannot be frozen;"
                + " got 6", tooMany.getMessage());
        UserErrorException output = assertThrows(UserErrorException.class,
                () -> FineTuning.apply(model, new TransferSpec(0, prefix + 5, 0, null), 1));
        assertEquals("finetune.freeze_up_to: cannot freeze the output layer '" + prefix + "5'", output.getMessage());
        assertThrows(UserErrorException.class, () -> new TransferSpec(2, "layer1", 0, null));
        assertThrows(UserErrorException.class, () -> new TransferSpec(0, null, 1, null));
    }

    /** In a graph with branches, freezing up to a name freezes exactly the layers it depends on. */
    @Test
    void freezingUpToAZooBlockFreezesItsAncestors() {
        ComputationGraph squeeze = (ComputationGraph) ZooArchitectures.build(ZooArchitecture.SQUEEZENET, 3, 32, 32, 10, 1,
                new org.nd4j.linalg.learning.config.Sgd(0.1), 0);
        ComputationGraph tuned = FineTuning.apply(squeeze, new TransferSpec(0, "fire3_exp1x1", 4, new Adam(0.01)), 2);
        var vertices = tuned.getConfiguration().getVertices();
        for (String name : List.of("conv1", "fire2_sq1x1", "fire2_exp3x3", "fire3_sq1x1", "fire3_exp1x1")) {
            assertInstanceOf(FrozenLayerWithBackprop.class,
                    ((org.deeplearning4j.nn.conf.graph.LayerVertex) vertices.get(name)).getLayerConf().getLayer(), name);
        }
        for (String name : List.of("fire3_exp3x3", "fire4_sq1x1", ZooArchitectures.OUTPUT)) {
            assertInstanceOf(BaseLayer.class,
                    ((org.deeplearning4j.nn.conf.graph.LayerVertex) vertices.get(name)).getLayerConf().getLayer(), name);
        }
        INDArray x = Nd4j.rand(new int[] {2, 3, 32, 32});
        INDArray before = tuned.getLayer("fire2_exp3x3").params().dup();
        tuned.fit(new org.nd4j.linalg.dataset.DataSet(x, Nd4j.createFromArray(new float[][] {{1, 0, 0, 0}, {0, 0, 1, 0}})));
        assertEquals(before, tuned.getLayer("fire2_exp3x3").params());
        assertArrayEquals(new long[] {2, 4}, tuned.outputSingle(x).shape());
    }
}
