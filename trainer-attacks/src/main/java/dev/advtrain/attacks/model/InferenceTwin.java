package dev.advtrain.attacks.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A copy of a network whose training-mode forward pass equals the original's inference-mode one.
 *
 * <p>DL4J differentiates only through the training-mode forward pass (dropout applied, batch
 * normalization on batch statistics). The twin removes dropout and weight noise and replaces each
 * batch normalization layer by the per-channel affine map it computes at inference,
 * {@code y = x * gamma / sqrt(var + eps) + (beta - mean * gamma / sqrt(var + eps))}: a 1x1 depthwise
 * convolution for convolutional activations, an element-wise multiplication layer for dense ones.
 * Backpropagating through the twin therefore yields inference-mode input gradients.
 *
 * <p>Without batch normalization the twin shares the original's parameter buffer, so it is always
 * current; otherwise {@link #sync()} copies the parameters (cheap next to a forward pass).
 */
final class InferenceTwin {

    private InferenceTwin() {
    }

    /** Whether a layer behaves differently in training and inference mode. */
    static boolean isModeDependent(Layer layer) {
        return layer instanceof BatchNormalization || layer.getIDropout() != null
                || (layer instanceof BaseLayer base && base.getWeightNoise() != null);
    }

    /** Whether any layer of the configuration list is mode-dependent. */
    static boolean anyModeDependent(List<NeuralNetConfiguration> confs) {
        return confs.stream().anyMatch(c -> isModeDependent(c.getLayer()));
    }

    /** Inference twin of a MultiLayerNetwork. */
    static final class OfMultiLayer {
        private final MultiLayerNetwork original;
        private final MultiLayerNetwork twin;
        private final boolean sharesParameters;

        /**
         * @param inferenceMode whether to make the forward pass deterministic (else only the loss changes)
         * @param externalLoss if not null, replaces the output layer's loss
         */
        OfMultiLayer(MultiLayerNetwork original, INDArray sample, boolean inferenceMode, ExternalLoss externalLoss) {
            this.original = original;
            MultiLayerConfiguration conf = original.getLayerWiseConfigurations().clone();
            boolean replaced = false;
            if (inferenceMode) {
                List<INDArray> activations = hasBatchNorm(conf.getConfs())
                        ? original.feedForward(sample, false) : List.of();
                for (int i = 0; i < conf.getConfs().size(); i++) {
                    // activations.get(i + 1) is layer i's output; batch norm keeps its input's rank.
                    boolean convolutional = !activations.isEmpty() && activations.get(i + 1).rank() == 4;
                    replaced |= makeDeterministic(conf.getConf(i), convolutional);
                }
            }
            if (externalLoss != null) {
                installLoss(conf.getConf(conf.getConfs().size() - 1).getLayer(), externalLoss);
            }
            this.sharesParameters = !replaced;
            this.twin = new MultiLayerNetwork(conf);
            if (sharesParameters) {
                twin.init(original.params(), false);
            } else {
                twin.init();
                sync();
            }
        }

        MultiLayerNetwork network() {
            return twin;
        }

        /** Brings the twin's parameters up to date with the original's. */
        void sync() {
            if (sharesParameters) {
                return;
            }
            for (int i = 0; i < original.getnLayers(); i++) {
                copyLayer(original.getLayer(i), twin.getLayer(i));
            }
        }
    }

    /** Twin of a ComputationGraph: workspaces off (needed to read the input gradient), optionally inference mode. */
    static final class OfGraph {
        private final ComputationGraph original;
        private final ComputationGraph twin;
        private final boolean sharesParameters;

        /**
         * @param inferenceMode whether to make the forward pass deterministic
         * @param externalLoss if not null, replaces the output layer's loss
         */
        OfGraph(ComputationGraph original, boolean inferenceMode, INDArray sample, ExternalLoss externalLoss) {
            this.original = original;
            ComputationGraphConfiguration conf = original.getConfiguration().clone();
            conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
            boolean replaced = false;
            if (inferenceMode) {
                Map<String, INDArray> activations = original.feedForward(sample, false);
                for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
                    if (vertex.getValue() instanceof LayerVertex layerVertex) {
                        boolean convolutional = activations.get(vertex.getKey()).rank() == 4;
                        replaced |= makeDeterministic(layerVertex.getLayerConf(), convolutional);
                    }
                }
            }
            if (externalLoss != null) {
                String output = conf.getNetworkOutputs().get(0);
                if (!(conf.getVertices().get(output) instanceof LayerVertex outputVertex)) {
                    throw new IllegalArgumentException("the graph's output '" + output + "' is not a layer");
                }
                installLoss(outputVertex.getLayerConf().getLayer(), externalLoss);
            }
            this.sharesParameters = !replaced;
            this.twin = new ComputationGraph(conf);
            if (sharesParameters) {
                twin.init(original.params(), false);
            } else {
                twin.init();
                sync();
            }
        }

        ComputationGraph network() {
            return twin;
        }

        void sync() {
            if (sharesParameters) {
                return;
            }
            for (org.deeplearning4j.nn.api.Layer layer : original.getLayers()) {
                copyLayer(layer, twin.getLayer(layer.conf().getLayer().getLayerName()));
            }
        }
    }

    /** Puts an attack's loss into an output layer's configuration. */
    private static void installLoss(Layer outputLayer, ExternalLoss externalLoss) {
        if (!(outputLayer instanceof BaseOutputLayer output)) {
            throw new IllegalArgumentException("attack losses need an output layer with weights (OutputLayer), not "
                    + outputLayer.getClass().getSimpleName());
        }
        output.setLossFn(externalLoss);
    }

    /** Removes dropout and weight noise; replaces batch normalization. Returns true if a layer was replaced. */
    private static boolean makeDeterministic(NeuralNetConfiguration layerConf, boolean convolutional) {
        Layer layer = layerConf.getLayer();
        if (layer instanceof BatchNormalization bn) {
            layerConf.setLayer(frozenAffine(bn, convolutional));
            return true;
        }
        layer.setIDropout(null);
        if (layer instanceof BaseLayer base) {
            base.setWeightNoise(null);
        }
        return false;
    }

    /**
     * The affine replacement of a batch normalization layer. Identity activation: DL4J M2.1's
     * BatchNormalization ignores the activation function it is configured with.
     */
    private static Layer frozenAffine(BatchNormalization bn, boolean convolutional) {
        long channels = bn.getNOut();
        Layer affine;
        if (convolutional) {
            affine = new DepthwiseConvolution2D.Builder(1, 1).nIn(channels).depthMultiplier(1)
                    .dataFormat(bn.getCnn2DFormat()).hasBias(true).activation(Activation.IDENTITY)
                    .weightInit(WeightInit.ONES).updater(new NoOp()).build();
        } else {
            affine = new ElementWiseMultiplicationLayer.Builder().nIn(channels).nOut(channels)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.ONES).updater(new NoOp()).build();
        }
        affine.setLayerName(bn.getLayerName());
        return affine;
    }

    private static void copyLayer(org.deeplearning4j.nn.api.Layer from, org.deeplearning4j.nn.api.Layer to) {
        if (from.conf().getLayer() instanceof BatchNormalization bn) {
            INDArray mean = from.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            INDArray var;
            if (bn.isUseLogStd()) {
                INDArray std = Transforms.pow(Nd4j.valueArrayOf(mean.shape(), 10.0, mean.dataType()),
                        from.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
                var = std.mul(std);
            } else {
                var = from.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            }
            // With locked gamma/beta, DL4J M2.1 applies them only when gamma != 1 AND beta != 0.
            boolean lockedApplied = bn.getGamma() != 1.0 && bn.getBeta() != 0.0;
            INDArray gamma = bn.isLockGammaBeta()
                    ? Nd4j.valueArrayOf(mean.shape(), lockedApplied ? bn.getGamma() : 1.0, mean.dataType())
                    : from.getParam(BatchNormalizationParamInitializer.GAMMA);
            INDArray beta = bn.isLockGammaBeta()
                    ? Nd4j.valueArrayOf(mean.shape(), lockedApplied ? bn.getBeta() : 0.0, mean.dataType())
                    : from.getParam(BatchNormalizationParamInitializer.BETA);
            INDArray scale = gamma.div(Transforms.sqrt(var.add(bn.getEps()), false));
            INDArray shift = beta.sub(mean.mul(scale));
            INDArray weights = to.getParam(DefaultParamInitializer.WEIGHT_KEY);
            weights.assign(scale.reshape(weights.shape()));
            INDArray bias = to.getParam(DefaultParamInitializer.BIAS_KEY);
            bias.assign(shift.reshape(bias.shape()));
        } else if (from.numParams() > 0) {
            to.setParams(from.params());
        }
    }

    private static boolean hasBatchNorm(List<NeuralNetConfiguration> confs) {
        return confs.stream().anyMatch(c -> c.getLayer() instanceof BatchNormalization);
    }
}
