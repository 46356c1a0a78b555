package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Puts a {@link PixelInput} at the front of a network, so that it takes advtrain's pixel rows
 * ({@code [N, C*H*W]} in {@code [0, 1]}) whatever array its first layer was built for, and
 * optionally normalises them inside the model.
 *
 * <p>What the first layer takes is read from the configuration: a DL4J reshaping preprocessor
 * (replaced), a convolution or pooling layer without one (its data format, NCHW or NHWC), or a dense
 * layer (flat pixels). The network is rebuilt from its configuration with the same parameters,
 * updater state and iteration count; the original is left as it was.
 */
public final class NetworkInput {

    private NetworkInput() {
    }

    /**
     * The network taking {@code channels x height x width} pixel rows, normalised with {@code mean}
     * and {@code std} per channel when they are non-empty.
     *
     * @param layout the array the first layer takes, or null to read it from the network
     * @throws UserErrorException if the network's input does not fit the image shape; the message
     *     names both shapes
     */
    public static Model install(Model model, int channels, int height, int width, PixelInput.Layout layout,
            double[] mean, double[] std) {
        if (model instanceof MultiLayerNetwork network) {
            MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
            PixelInput input = pixelInput(conf.getInputPreProcess(0), conf.getConf(0).getLayer(), channels, height,
                    width, layout, mean, std);
            conf.getInputPreProcessors().put(0, input);
            MultiLayerNetwork copy = new MultiLayerNetwork(conf);
            copy.init(network.params().dup(), false);
            INDArray state = network.getUpdater().getStateViewArray();
            if (state != null) {
                copy.getUpdater().getStateViewArray().assign(state);
            }
            return checked(copy, channels, height, width);
        }
        if (model instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration().clone();
            if (conf.getNetworkInputs().size() != 1) {
                throw new UserErrorException("the model has " + conf.getNetworkInputs().size() + " inputs "
                        + conf.getNetworkInputs() + "; advtrain trains models with one image input");
            }
            String inputName = conf.getNetworkInputs().get(0);
            List<String> consumers = new ArrayList<>();
            for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
                if (entry.getValue().contains(inputName)) {
                    consumers.add(entry.getKey());
                }
            }
            for (String name : consumers) {
                GraphVertex vertex = conf.getVertices().get(name);
                if (!(vertex instanceof LayerVertex layerVertex) || conf.getVertexInputs().get(name).size() != 1) {
                    throw new UserErrorException("the model's input '" + inputName + "' feeds '" + name
                            + "', which is not a layer; advtrain needs the image input to go into layers");
                }
                layerVertex.setPreProcessor(pixelInput(layerVertex.getPreProcessor(),
                        layerVertex.getLayerConf().getLayer(), channels, height, width, layout, mean, std));
            }
            ComputationGraph copy = new ComputationGraph(conf);
            copy.init(graph.params().dup(), false);
            INDArray state = graph.getUpdater().getStateViewArray();
            if (state != null) {
                copy.getUpdater().getStateViewArray().assign(state);
            }
            return checked(copy, channels, height, width);
        }
        throw new IllegalArgumentException("unsupported model type " + model.getClass().getName());
    }

    /** The pixel input the network has, or null when its first layer takes something else. */
    public static PixelInput of(Model model) {
        if (model instanceof MultiLayerNetwork network) {
            return network.getLayerWiseConfigurations().getInputPreProcess(0) instanceof PixelInput p ? p : null;
        }
        if (model instanceof ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            String inputName = conf.getNetworkInputs().get(0);
            for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
                if (entry.getValue().contains(inputName)
                        && conf.getVertices().get(entry.getKey()) instanceof LayerVertex v
                        && v.getPreProcessor() instanceof PixelInput p) {
                    return p;
                }
            }
        }
        return null;
    }

    private static PixelInput pixelInput(InputPreProcessor existing, Layer first, int channels, int height, int width,
            PixelInput.Layout layout, double[] mean, double[] std) {
        PixelInput.Layout chosen = layout != null ? layout : layoutOf(existing, first, channels, height, width);
        return new PixelInput(channels, height, width, chosen, mean, std);
    }

    private static PixelInput.Layout layoutOf(InputPreProcessor existing, Layer first, int channels, int height,
            int width) {
        String image = channels + "x" + height + "x" + width;
        if (existing instanceof PixelInput p) {
            if (p.channels() != channels || p.height() != height || p.width() != width) {
                throw new UserErrorException("the model takes " + p.channels() + "x" + p.height() + "x" + p.width()
                        + " images, the data has " + image);
            }
            return p.layout();
        }
        if (existing instanceof FeedForwardToCnnPreProcessor f) {
            if (f.getNumChannels() != channels || f.getInputHeight() != height || f.getInputWidth() != width) {
                throw new UserErrorException("the model takes " + f.getNumChannels() + "x" + f.getInputHeight() + "x"
                        + f.getInputWidth() + " images, the data has " + image);
            }
            return PixelInput.Layout.NCHW;
        }
        if (existing != null) {
            throw new UserErrorException("the model's first layer has an input preprocessor advtrain cannot replace ("
                    + existing.getClass().getSimpleName() + "); give model.input_layout");
        }
        Layer layer = unwrap(first);
        if (layer instanceof ConvolutionLayer conv) {
            if (conv.getNIn() != channels) {
                throw new UserErrorException("the model's first layer takes " + conv.getNIn()
                        + " channels, the data has " + image + " images");
            }
            return conv.getCnn2dDataFormat() == CNN2DFormat.NHWC ? PixelInput.Layout.NHWC : PixelInput.Layout.NCHW;
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pool.getCnn2dDataFormat() == CNN2DFormat.NHWC ? PixelInput.Layout.NHWC : PixelInput.Layout.NCHW;
        }
        if (layer instanceof FeedForwardLayer dense) {
            if (dense.getNIn() != (long) channels * height * width) {
                throw new UserErrorException("the model's first layer takes " + dense.getNIn()
                        + " values, the data has " + image + " = " + (channels * height * width) + " pixels");
            }
            return PixelInput.Layout.FLAT_CHW;
        }
        throw new UserErrorException("cannot tell what input the model's first layer (" + layer.getClass().getSimpleName()
                + ") takes; give model.input_layout");
    }

    private static Layer unwrap(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrap(frozen.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return unwrap(frozen.getUnderlying());
        }
        return layer;
    }

    /** A forward pass on one blank image, so a misfit shows now, with the shapes named. */
    private static Model checked(Model model, int channels, int height, int width) {
        INDArray blank = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, (long) channels * height * width);
        try {
            if (model instanceof MultiLayerNetwork network) {
                network.output(blank);
            } else {
                ((ComputationGraph) model).output(blank);
            }
        } catch (RuntimeException e) {
            throw new UserErrorException("the model does not take " + channels + "x" + height + "x" + width
                    + " images: " + UserErrorException.firstLine(e), e);
        }
        return model;
    }
}
