package dev.advtrain.attacks.model;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link DifferentiableClassifier} over a {@link MultiLayerNetwork}.
 *
 * <p>Input gradients come from {@code calculateGradients}, which leaves parameters, updater state
 * and iteration counts alone. In {@link GradientMode#INFERENCE} they are taken through an
 * {@link InferenceTwin} when the network has dropout, weight noise or batch normalization (built on
 * first use, kept in step with the network's current weights). Gradients of an attack's own
 * {@link Loss} are taken through a second twin whose output layer carries that loss. The network's
 * input and label fields are restored after every call.
 */
public final class MultiLayerNetworkClassifier implements DifferentiableClassifier {

    private final MultiLayerNetwork network;
    private final GradientMode mode;
    private final boolean needsTwin;
    private InferenceTwin.OfMultiLayer twin;
    private InferenceTwin.OfMultiLayer lossTwin;
    private final ExternalLoss externalLoss = new ExternalLoss();

    public MultiLayerNetworkClassifier(MultiLayerNetwork network, GradientMode mode) {
        this.network = network;
        this.mode = mode;
        this.needsTwin = mode == GradientMode.INFERENCE
                && InferenceTwin.anyModeDependent(network.getLayerWiseConfigurations().getConfs());
    }

    @Override
    public INDArray predict(INDArray x) {
        INDArray input = network.getInput();
        INDArray labels = network.getLabels();
        try {
            return network.output(x, false);
        } finally {
            restore(input, labels);
        }
    }

    @Override
    public INDArray lossGradient(INDArray x, INDArray labels) {
        INDArray savedInput = network.getInput();
        INDArray savedLabels = network.getLabels();
        try {
            MultiLayerNetwork differentiated = network;
            if (needsTwin) {
                if (twin == null) {
                    twin = new InferenceTwin.OfMultiLayer(network, x.get(NDArrayIndex.interval(0, 1)), true, null);
                }
                twin.sync();
                differentiated = twin.network();
            }
            return differentiated.calculateGradients(x, labels, null, null).getSecond();
        } finally {
            restore(savedInput, savedLabels);
        }
    }

    @Override
    public LossGradient gradient(INDArray x, Loss loss, INDArray labels) {
        INDArray savedInput = network.getInput();
        INDArray savedLabels = network.getLabels();
        try {
            if (lossTwin == null) {
                lossTwin = new InferenceTwin.OfMultiLayer(network, x.get(NDArrayIndex.interval(0, 1)),
                        mode == GradientMode.INFERENCE, externalLoss);
            }
            lossTwin.sync();
            externalLoss.use(loss);
            MultiLayerNetwork differentiated = lossTwin.network();
            INDArray inputGradient = differentiated.calculateGradients(x, labels, null, null).getSecond();
            return new LossGradient(inputGradient, externalLoss.logits());
        } finally {
            restore(savedInput, savedLabels);
        }
    }

    private void restore(INDArray input, INDArray labels) {
        network.setInput(input);
        network.setLabels(labels);
    }

    @Override
    public int numClasses() {
        return network.layerSize(network.getnLayers() - 1);
    }

    /** The wrapped network. */
    public MultiLayerNetwork network() {
        return network;
    }

    /** The forward pass gradients are taken through. */
    public GradientMode mode() {
        return mode;
    }
}
