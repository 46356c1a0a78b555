package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Transfer learning on a loaded {@link MultiLayerNetwork} or {@link ComputationGraph}: freezes
 * leading layers, replaces the output layer for a new class count and sets a fine-tuning learning
 * rate, keeping every other weight.
 *
 * <p>Frozen layers are wrapped in DL4J's {@code FrozenLayerWithBackprop}, not the {@code FrozenLayer}
 * of {@code TransferLearning.setFeatureExtractor}: the latter stops backpropagation, so attacks
 * would get no input gradient. A frozen layer keeps its parameters (no update, no weight decay)
 * and runs in inference mode (no dropout; batch normalisation on its running statistics), and the
 * gradient with respect to the input flows through it. The result is a new network with a fresh
 * optimiser state and its iteration and epoch counts at 0; it saves and loads with
 * {@code ModelSerializer} as any other, frozen layers included.
 *
 * <pre>{@code
 * Model tuned = FineTuning.apply(ModelFiles.load(file, false), new TransferSpec(2, null, 5, 1e-4), seed);
 * }</pre>
 */
public final class FineTuning {

    private FineTuning() {
    }

    /**
     * The network with {@code spec} applied; {@code model} itself is left unchanged.
     *
     * @param seed the seed of a new output layer's initialisation
     * @throws UserErrorException for an unknown layer name, a freeze count not below the number of
     *     layers, or freezing the output layer
     */
    public static Model apply(Model model, TransferSpec spec, long seed) {
        if (model instanceof MultiLayerNetwork network) {
            return apply(network, spec, seed);
        }
        if (model instanceof ComputationGraph graph) {
            return apply(graph, spec, seed);
        }
        throw new IllegalArgumentException("cannot fine-tune a " + model.getClass().getName());
    }

    /** {@link #apply(Model, TransferSpec, long)} for a MultiLayerNetwork. */
    public static MultiLayerNetwork apply(MultiLayerNetwork network, TransferSpec spec, long seed) {
        int layers = network.getnLayers();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            names.add(network.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName());
        }
        int frozen = spec.freeze();
        if (spec.freezeUpTo() != null) {
            int index = names.indexOf(spec.freezeUpTo());
            if (index < 0) {
                throw unknownLayer(spec.freezeUpTo(), names);
            }
            frozen = index + 1;
        }
        checkFreeze(frozen, layers, names.get(layers - 1), spec);
        MultiLayerNetwork edited = network;
        if (replacesOutput(network.getOutputLayer().conf().getLayer(), spec)) {
            int last = layers - 1;
            NeuralNetConfiguration old = network.getLayerWiseConfigurations().getConf(last);
            InputPreProcessor pre = network.getLayerWiseConfigurations().getInputPreProcess(last);
            Nd4j.getRandom().setSeed(seed); // addLayer initialises the new layer at once
            TransferLearning.Builder builder = new TransferLearning.Builder(network)
                    .fineTuneConfiguration(fresh(old, seed))
                    .removeOutputLayer()
                    .addLayer(output((BaseLayer) old.getLayer(), spec.numClasses()));
            if (pre != null) {
                builder.setInputPreProcessor(last, pre.clone());
            }
            edited = builder.build();
        }
        MultiLayerConfiguration conf = edited.getLayerWiseConfigurations().clone();
        for (int i = 0; i < layers; i++) {
            tune(conf.getConf(i), i < frozen, spec);
        }
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        MultiLayerNetwork tuned = new MultiLayerNetwork(conf);
        tuned.init(edited.params().dup(), false);
        return tuned;
    }

    /** {@link #apply(Model, TransferSpec, long)} for a single-output ComputationGraph. */
    public static ComputationGraph apply(ComputationGraph graph, TransferSpec spec, long seed) {
        ComputationGraphConfiguration original = graph.getConfiguration();
        if (original.getNetworkOutputs().size() != 1) {
            throw new UserErrorException("transfer learning needs a single-output graph; this one has "
                    + original.getNetworkOutputs());
        }
        String outputName = original.getNetworkOutputs().get(0);
        List<String> names = new ArrayList<>(); // layer vertices in topological order
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            names.add(layer.conf().getLayer().getLayerName());
        }
        Set<String> frozen = new LinkedHashSet<>();
        if (spec.freezeUpTo() != null) {
            if (!names.contains(spec.freezeUpTo())) {
                throw unknownLayer(spec.freezeUpTo(), names);
            }
            if (spec.freezeUpTo().equals(outputName)) {
                throw new UserErrorException("finetune.freeze_up_to: cannot freeze the output layer '" + outputName + "'");
            }
            frozen.addAll(ancestorLayers(original, spec.freezeUpTo()));
        } else {
            checkFreeze(spec.freeze(), names.size(), outputName, spec);
            frozen.addAll(names.subList(0, spec.freeze()));
        }
        ComputationGraph edited = graph;
        if (replacesOutput(graph.getOutputLayer(0).conf().getLayer(), spec)) {
            LayerVertex old = (LayerVertex) original.getVertices().get(outputName);
            List<String> inputs = original.getVertexInputs().get(outputName);
            InputPreProcessor pre = old.getPreProcessor();
            Nd4j.getRandom().setSeed(seed);
            edited = new TransferLearning.GraphBuilder(graph)
                    .fineTuneConfiguration(fresh(old.getLayerConf(), seed))
                    .removeVertexKeepConnections(outputName)
                    .addLayer(outputName, output((BaseLayer) old.getLayerConf().getLayer(), spec.numClasses()),
                            pre == null ? null : pre.clone(), inputs.toArray(String[]::new))
                    .setOutputs(outputName)
                    .build();
        }
        ComputationGraphConfiguration conf = edited.getConfiguration().clone();
        conf.getVertices().forEach((name, vertex) -> {
            if (vertex instanceof LayerVertex layer) {
                tune(layer.getLayerConf(), frozen.contains(name), spec);
            }
        });
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        ComputationGraph tuned = new ComputationGraph(conf);
        tuned.init(edited.params().dup(), false);
        return tuned;
    }

    private static void checkFreeze(int frozen, int layers, String outputName, TransferSpec spec) {
        if (frozen >= layers) {
            throw new UserErrorException(spec.freezeUpTo() != null
                    ? "finetune.freeze_up_to: cannot freeze the output layer '" + outputName + "'"
                    : "finetune.freeze must be less than the number of layers (" + layers
                            + "): the output layer cannot be frozen; got " + frozen);
        }
    }

    private static UserErrorException unknownLayer(String name, List<String> names) {
        return new UserErrorException("finetune.freeze_up_to: no layer named '" + name + "'; layers: "
                + String.join(", ", names));
    }

    /** The named layer and every layer it depends on. */
    private static Set<String> ancestorLayers(ComputationGraphConfiguration conf, String name) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            String vertex = todo.pop();
            if (seen.add(vertex)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(vertex, List.of()));
            }
        }
        seen.removeIf(vertex -> !(conf.getVertices().get(vertex) instanceof LayerVertex));
        return seen;
    }

    private static boolean replacesOutput(Layer output, TransferSpec spec) {
        if (spec.numClasses() == 0) {
            return false;
        }
        if (!(output instanceof FeedForwardLayer dense)) {
            throw new UserErrorException("finetune.num_classes: the output layer is a "
                    + output.getClass().getSimpleName() + ", not a dense output layer that can be replaced");
        }
        return true;
    }

    /** Settings for the new output layer: the seed, and the updater of the layer it replaces. */
    private static FineTuneConfiguration fresh(NeuralNetConfiguration old, long seed) {
        FineTuneConfiguration.Builder builder = new FineTuneConfiguration.Builder().seed(seed);
        if (old.getLayer() instanceof BaseLayer layer && layer.getIUpdater() != null) {
            builder.updater(layer.getIUpdater().clone());
        }
        return builder.build();
    }

    /** A softmax MCXENT output layer with the old one's name, input size and regularisation. */
    private static OutputLayer output(BaseLayer old, int classes) {
        OutputLayer output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name(old.getLayerName())
                .nIn(((FeedForwardLayer) old).getNIn())
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build();
        output.setRegularization(old.getRegularization() == null ? new ArrayList<>() : new ArrayList<>(old.getRegularization()));
        output.setRegularizationBias(old.getRegularizationBias() == null ? new ArrayList<>()
                : new ArrayList<>(old.getRegularizationBias()));
        return output;
    }

    /**
     * Gives the layer the fine-tuning updater and freezes it if asked. A frozen layer has no
     * updater; its inner configuration gets it too, so that reports of "the first layer's learning
     * rate" (DL4J's {@code getLearningRate(0)}) read the rate the network trains with.
     */
    private static void tune(NeuralNetConfiguration conf, boolean freeze, TransferSpec spec) {
        Layer layer = conf.getLayer();
        if (spec.updater() != null && layer instanceof BaseLayer base) {
            base.setIUpdater(spec.updater().clone());
            base.setBiasUpdater(null);
        }
        if (freeze) {
            FrozenLayerWithBackprop frozen = new FrozenLayerWithBackprop(layer);
            frozen.setLayerName(layer.getLayerName());
            conf.setLayer(frozen);
        }
    }
}
