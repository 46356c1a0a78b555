package dev.advtrain.attacks.model;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link DifferentiableClassifier} over a single-input, single-output {@link ComputationGraph}.
 *
 * <p>ComputationGraph has no {@code calculateGradients} (deeplearning4j issue 8173). Gradients are
 * taken on a twin graph with workspaces off, sharing or copying the original's weights: its
 * {@code computeGradientAndScore} runs, and the input vertex's epsilon is read in a backward-pass
 * listener. The original graph is never touched, so its parameters, updater state and fields stay
 * as they were.
 */
public final class ComputationGraphClassifier implements DifferentiableClassifier {

    private final ComputationGraph graph;
    private final GradientMode mode;
    private final String inputName;
    private final ExternalLoss externalLoss = new ExternalLoss();
    private Differentiated twin;
    private Differentiated lossTwin;

    public ComputationGraphClassifier(ComputationGraph graph, GradientMode mode) {
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("only single-input, single-output graphs can be attacked; this one has "
                    + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs");
        }
        this.graph = graph;
        this.mode = mode;
        this.inputName = graph.getConfiguration().getNetworkInputs().get(0);
    }

    @Override
    public INDArray predict(INDArray x) {
        INDArray[] inputs = graph.getInputs();
        try {
            return graph.outputSingle(false, x);
        } finally {
            graph.setInputs(inputs);
        }
    }

    @Override
    public INDArray lossGradient(INDArray x, INDArray labels) {
        if (twin == null) {
            twin = new Differentiated(x, null);
        }
        return twin.inputGradient(x, labels);
    }

    @Override
    public LossGradient gradient(INDArray x, Loss loss, INDArray labels) {
        if (lossTwin == null) {
            lossTwin = new Differentiated(x, externalLoss);
        }
        externalLoss.use(loss);
        INDArray inputGradient = lossTwin.inputGradient(x, labels);
        return new LossGradient(inputGradient, externalLoss.logits());
    }

    /** A twin graph and the input gradient its last backward pass produced. */
    private final class Differentiated {
        private final InferenceTwin.OfGraph twin;
        private INDArray captured;

        Differentiated(INDArray x, ExternalLoss externalLoss) {
            INDArray[] inputs = graph.getInputs();
            try {
                twin = new InferenceTwin.OfGraph(graph, mode == GradientMode.INFERENCE,
                        x.get(NDArrayIndex.interval(0, 1)), externalLoss);
            } finally {
                graph.setInputs(inputs);
            }
            twin.network().setListeners(new BaseTrainingListener() {
                @Override
                public void onBackwardPass(Model model) {
                    captured = ((ComputationGraph) model).getVertex(inputName).getEpsilon().detach();
                }
            });
        }

        INDArray inputGradient(INDArray x, INDArray labels) {
            twin.sync();
            ComputationGraph differentiated = twin.network();
            differentiated.setInputs(x);
            differentiated.setLabels(labels);
            captured = null;
            differentiated.computeGradientAndScore();
            differentiated.clear();
            if (captured == null) {
                throw new IllegalStateException("no input gradient reached input '" + inputName + "'");
            }
            return captured.reshape(x.shape());
        }
    }

    @Override
    public int numClasses() {
        return (int) ((FeedForwardLayer) graph.getOutputLayer(0).conf().getLayer()).getNOut();
    }

    /** The wrapped graph. */
    public ComputationGraph graph() {
        return graph;
    }
}
