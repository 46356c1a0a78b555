package dev.advtrain.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Imports Keras 2 image classifiers saved with {@code model.save("model.h5")}, through DL4J's Keras
 * import, as networks advtrain can evaluate, attack and train.
 *
 * <p>A {@code Sequential} model becomes a {@link MultiLayerNetwork}, a functional {@code Model} a
 * {@link ComputationGraph}. The file's {@code training_config} (optimiser, loss) is ignored: the
 * network carries DL4J's default updater (SGD, learning rate 1e-3) on every layer. Keras saves no
 * loss layer, so the import ends in a plain dense layer; here the final {@code Dense} with softmax
 * activation becomes a DL4J {@link OutputLayer} with multi-class cross-entropy (MCXENT) and the same
 * weights, and a model ending any other way is refused.
 *
 * <pre>{@code
 * KerasModels.ImportedModel imported = KerasModels.load(Path.of("mnist-cnn.h5"));
 * INDArray p = ((MultiLayerNetwork) imported.network()).output(xInImportedLayout, false);
 * }</pre>
 */
public final class KerasModels {

    private static final String MODEL_CONFIG = "model_config";
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private KerasModels() {
    }

    /**
     * A Keras model as a DL4J network, with what a caller must know to feed it.
     *
     * @param network a {@link MultiLayerNetwork} (Keras Sequential) or {@link ComputationGraph} (functional
     *     Model) that ends in a softmax output layer with cross-entropy loss
     * @param channels image channels of the model's input
     * @param height image rows
     * @param width image columns
     * @param classes size of the softmax output
     * @param layout the input array the network expects, as measured on DL4J 1.0.0-M2.1 (see {@code
     *     KerasModelsTest}): NHWC for a channels_last model whose first layer works on images, NCHW for
     *     channels_first, FLAT_HWC or FLAT_CHW for a model that starts with Flatten
     */
    public record ImportedModel(Model network, int channels, int height, int width, int classes, PixelInput.Layout layout) {
    }

    /**
     * Imports a Keras 2 HDF5 model with its weights (DL4J's {@code enforceTrainingConfig=false}).
     *
     * @throws UserErrorException if the file is missing, not a Keras HDF5 model, holds a layer DL4J cannot
     *     import, has other than one image input (height, width, channels) or does not end in a softmax
     *     {@code Dense} layer
     */
    public static ImportedModel load(Path h5) {
        if (!Files.isRegularFile(h5)) {
            throw new UserErrorException("Keras model file not found: " + h5);
        }
        if (!isHdf5(h5)) {
            throw new UserErrorException(h5 + ": not an HDF5 file (a Keras .h5 model is expected)");
        }
        KerasModel keras = importKeras(h5);
        InputType.InputTypeConvolutional image = singleImageInput(h5, keras);
        Model network;
        try {
            network = keras instanceof KerasSequentialModel sequential
                    ? withCrossEntropy(h5, sequential.getMultiLayerNetwork())
                    : withCrossEntropy(h5, keras.getComputationGraph());
        } catch (UserErrorException e) {
            throw e;
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException | RuntimeException e) {
            throw failure(h5, e);
        }
        if (keras.getKerasMajorVersion() == 2 && hasChannelsFirstConvolution(network)) {
            // DL4J M2.1 reads a channels_first Conv2D kernel as a Keras 1 Theano kernel: wrong outputs
            throw new UserErrorException(h5 + ": channels_first Conv2D layers are imported wrongly by DL4J "
                    + "1.0.0-M2.1 (kernel read in Theano layout); save the model channels_last");
        }
        return new ImportedModel(network, (int) image.getChannels(), (int) image.getHeight(),
                (int) image.getWidth(), classes(network), layout(image.getFormat(), flattensInput(network)));
    }

    private static boolean isHdf5(Path file) {
        // the superblock lies at 0, 512, 1024, 2048, ... (after a user block, if any)
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64 * 1024);
            for (int offset = 0; offset + HDF5_SIGNATURE.length <= head.length; offset = offset == 0 ? 512 : offset * 2) {
                if (Arrays.equals(head, offset, offset + HDF5_SIGNATURE.length, HDF5_SIGNATURE, 0, HDF5_SIGNATURE.length)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UserErrorException(file + ": cannot read (" + UserErrorException.firstLine(e) + ")", e);
        }
    }

    private static KerasModel importKeras(Path h5) {
        KerasModelBuilder builder = new KerasModel().modelBuilder().enforceTrainingConfig(false);
        try {
            try (Hdf5Archive archive = new Hdf5Archive(h5.toString())) {
                if (!archive.hasAttribute(MODEL_CONFIG)) {
                    throw new UserErrorException(h5 + ": HDF5 file without a Keras '" + MODEL_CONFIG + "' attribute "
                            + "(weights only, as save_weights writes?); save the whole model with model.save");
                }
            }
            builder.modelHdf5Filename(h5.toString());
            String className = new ObjectMapper().readTree(builder.getModelJson()).path("class_name").asText();
            return switch (className) {
                case "Sequential" -> builder.buildSequential();
                case "Model", "Functional" -> builder.buildModel();
                default -> throw new UserErrorException(h5 + ": Keras model class '" + className
                        + "' is not supported (Sequential or Model expected)");
            };
        } catch (UserErrorException e) {
            throw e;
        } catch (IOException | InvalidKerasConfigurationException | UnsupportedKerasConfigurationException
                 | RuntimeException e) {
            throw failure(h5, e);
        } finally {
            builder.close();
        }
    }

    private static UserErrorException failure(Path h5, Exception e) {
        String problem = e instanceof UnsupportedKerasConfigurationException
                ? "not supported by DL4J's Keras import"
                : "not a Keras model DL4J can import";
        return new UserErrorException(h5 + ": " + problem + " (" + UserErrorException.firstLine(e) + ")", e);
    }

    private static InputType.InputTypeConvolutional singleImageInput(Path h5, KerasModel keras) {
        List<String> inputs = keras.getInputLayerNames();
        if (inputs.size() != 1) {
            throw new UserErrorException(h5 + ": the model has " + inputs.size()
                    + " inputs; advtrain needs a single image input");
        }
        InputType type = keras.getOutputTypes().get(inputs.get(0));
        if (!(type instanceof InputType.InputTypeConvolutional image)) {
            throw new UserErrorException(h5 + ": the model's input " + type
                    + " is not an image (height, width, channels); give it one, e.g. Flatten with input_shape=(28, 28, 1)");
        }
        return image;
    }

    private static PixelInput.Layout layout(CNN2DFormat format, boolean flattens) {
        if (format == CNN2DFormat.NHWC) {
            return flattens ? PixelInput.Layout.FLAT_HWC : PixelInput.Layout.NHWC;
        }
        return flattens ? PixelInput.Layout.FLAT_CHW : PixelInput.Layout.NCHW;
    }

    /** Whether every consumer of the input first flattens it (a Keras Flatten becomes this preprocessor). */
    private static boolean flattensInput(Model network) {
        if (network instanceof MultiLayerNetwork multiLayer) {
            return multiLayer.getLayerWiseConfigurations().getInputPreProcess(0) instanceof CnnToFeedForwardPreProcessor;
        }
        ComputationGraphConfiguration conf = ((ComputationGraph) network).getConfiguration();
        String input = conf.getNetworkInputs().get(0);
        boolean all = true;
        for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
            if (entry.getValue().contains(input)) {
                GraphVertex vertex = conf.getVertices().get(entry.getKey());
                InputPreProcessor pre = vertex instanceof PreprocessorVertex p ? p.getPreProcessor()
                        : vertex instanceof LayerVertex l ? l.getPreProcessor() : null;
                all &= pre instanceof CnnToFeedForwardPreProcessor;
            }
        }
        return all;
    }

    private static boolean hasChannelsFirstConvolution(Model network) {
        List<Layer> layers = network instanceof MultiLayerNetwork multiLayer
                ? layers(multiLayer.getLayerWiseConfigurations())
                : layers(((ComputationGraph) network).getConfiguration());
        return layers.stream().anyMatch(layer ->
                layer instanceof ConvolutionLayer conv && conv.getCnn2dDataFormat() == CNN2DFormat.NCHW);
    }

    private static List<Layer> layers(MultiLayerConfiguration conf) {
        List<Layer> layers = new ArrayList<>();
        conf.getConfs().forEach(c -> layers.add(c.getLayer()));
        return layers;
    }

    private static List<Layer> layers(ComputationGraphConfiguration conf) {
        List<Layer> layers = new ArrayList<>();
        conf.getVertices().values().stream()
                .filter(LayerVertex.class::isInstance)
                .forEach(v -> layers.add(((LayerVertex) v).getLayerConf().getLayer()));
        return layers;
    }

    /**
     * The import gives every layer a {@code Dropout(1.0)} (retain everything). It does nothing, but its
     * backward pass fails on NHWC convolution layers in DL4J M2.1 ("Op [multiply] execution failed"), so
     * {@code fit} and input gradients would fail: remove it.
     */
    private static void removeNoOpDropout(List<Layer> layers) {
        for (Layer layer : layers) {
            if (layer.getIDropout() instanceof Dropout dropout && dropout.getP() == 1.0 && dropout.getPSchedule() == null) {
                layer.setIDropout(null);
            }
        }
    }

    private static int classes(Model network) {
        if (network instanceof MultiLayerNetwork multiLayer) {
            return (int) ((OutputLayer) multiLayer.getOutputLayer().conf().getLayer()).getNOut();
        }
        ComputationGraph graph = (ComputationGraph) network;
        return (int) ((OutputLayer) graph.getOutputLayer(0).conf().getLayer()).getNOut();
    }

    /** The imported network with a cross-entropy output layer and without no-op dropout; same parameters. */
    private static MultiLayerNetwork withCrossEntropy(Path h5, MultiLayerNetwork imported) {
        MultiLayerConfiguration conf = imported.getLayerWiseConfigurations().clone();
        int last = conf.getConfs().size() - 1;
        conf.getConf(last).setLayer(crossEntropyOutput(h5, conf.getConf(last).getLayer()));
        removeNoOpDropout(layers(conf));
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init(imported.params().dup(), false);
        return network;
    }

    private static ComputationGraph withCrossEntropy(Path h5, ComputationGraph imported) {
        ComputationGraphConfiguration conf = imported.getConfiguration().clone();
        if (conf.getNetworkOutputs().size() != 1) {
            throw new UserErrorException(h5 + ": the model has " + conf.getNetworkOutputs().size()
                    + " outputs; advtrain needs a single softmax output");
        }
        GraphVertex output = conf.getVertices().get(conf.getNetworkOutputs().get(0));
        if (!(output instanceof LayerVertex layerVertex)) {
            throw new UserErrorException(h5 + ": the model's output is not a layer; advtrain needs a softmax Dense output");
        }
        layerVertex.getLayerConf().setLayer(crossEntropyOutput(h5, layerVertex.getLayerConf().getLayer()));
        removeNoOpDropout(layers(conf));
        ComputationGraph network = new ComputationGraph(conf);
        network.init(imported.params().dup(), false);
        return network;
    }

    /** The softmax dense layer as an output layer with cross-entropy loss; same parameters, same order. */
    private static OutputLayer crossEntropyOutput(Path h5, Layer last) {
        if (!(last instanceof DenseLayer dense) || !(dense.getActivationFn() instanceof ActivationSoftmax)
                || dense.hasLayerNorm()) {
            throw new UserErrorException(h5 + ": the model must end in a Dense layer with softmax activation "
                    + "(found " + last.getLayerName() + ", " + last.getClass().getSimpleName() + ")");
        }
        OutputLayer output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name(dense.getLayerName())
                .nIn(dense.getNIn())
                .nOut(dense.getNOut())
                .activation(Activation.SOFTMAX)
                .hasBias(dense.hasBias())
                .weightInit(dense.getWeightInitFn())
                .biasInit(dense.getBiasInit())
                .gainInit(dense.getGainInit())
                .updater(dense.getIUpdater())
                .biasUpdater(dense.getBiasUpdater())
                .dropOut(dense.getIDropout())
                .build();
        output.setRegularization(dense.getRegularization());
        output.setRegularizationBias(dense.getRegularizationBias());
        output.setConstraints(dense.getConstraints());
        output.setGradientNormalization(dense.getGradientNormalization());
        output.setGradientNormalizationThreshold(dense.getGradientNormalizationThreshold());
        output.setWeightNoise(dense.getWeightNoise());
        return output;
    }
}
