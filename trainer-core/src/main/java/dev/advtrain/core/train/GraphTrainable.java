package dev.advtrain.core.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Trainable} over a single-input, single-output {@link ComputationGraph}.
 *
 * <p>A graph has no {@code calculateGradients} (deeplearning4j issue 8173): for a step that also
 * needs the input gradient, the graph computes gradients with training workspaces off, a listener
 * copies the input vertex's epsilon during the backward pass, and the weights are updated as
 * {@code fit} would.
 */
final class GraphTrainable implements Trainable {

    private final ComputationGraph graph;
    private final String inputName;
    private INDArray capturedInputGradient;
    private boolean listening;
    private boolean capturing;

    GraphTrainable(ComputationGraph graph) {
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("only single-input, single-output graphs can be trained; this one has "
                    + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs");
        }
        this.graph = graph;
        this.inputName = graph.getConfiguration().getNetworkInputs().get(0);
    }

    @Override
    public Model model() {
        return graph;
    }

    @Override
    public Trainable copy() {
        return new GraphTrainable(graph.clone());
    }

    @Override
    public double fit(INDArray x, INDArray labels) {
        graph.fit(new DataSet(x, labels));
        return graph.score();
    }

    @Override
    public StepWithInputGradient fitWithInputGradient(INDArray x, INDArray labels) {
        if (!listening) {
            graph.addListeners(new BaseTrainingListener() {
                @Override
                public void onBackwardPass(Model model) {
                    if (capturing) { // not in a plain fit, whose epsilon lives in a workspace
                        capturedInputGradient = graph.getVertex(inputName).getEpsilon().detach();
                    }
                }
            });
            listening = true;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        WorkspaceMode training = conf.getTrainingWorkspaceMode();
        WorkspaceMode inference = conf.getInferenceWorkspaceMode();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        capturing = true;
        try {
            graph.setInputs(x);
            graph.setLabels(labels);
            capturedInputGradient = null;
            graph.computeGradientAndScore();
            double loss = graph.score();
            Gradient gradient = graph.gradient();
            int iteration = graph.getIterationCount();
            graph.getUpdater().update(gradient, iteration, graph.getEpochCount(), (int) x.size(0),
                    LayerWorkspaceMgr.noWorkspaces());
            INDArray params = graph.params();
            params.subi(gradient.gradient().reshape(params.length()));
            graph.getConfiguration().setIterationCount(iteration + 1);
            if (capturedInputGradient == null) {
                throw new IllegalStateException("no input gradient reached input '" + inputName + "'");
            }
            return new StepWithInputGradient(loss, capturedInputGradient.reshape(x.shape()));
        } finally {
            capturing = false;
            conf.setTrainingWorkspaceMode(training);
            conf.setInferenceWorkspaceMode(inference);
            graph.clear();
        }
    }

    @Override
    public INDArray output(INDArray x) {
        return graph.outputSingle(false, x);
    }

    @Override
    public long iterationCount() {
        return graph.getIterationCount();
    }

    @Override
    public void setEpochCount(int epochs) {
        graph.getConfiguration().setEpochCount(epochs);
    }

    @Override
    public double learningRate() {
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                Double lr = graph.getLearningRate(layer.conf().getLayer().getLayerName());
                return lr == null ? Double.NaN : lr;
            }
        }
        return Double.NaN;
    }

    @Override
    public long numParams() {
        return graph.numParams();
    }

    @Override
    public BaseOutputLayer outputLayerConf() {
        return (BaseOutputLayer) graph.getOutputLayer(0).conf().getLayer();
    }

    @Override
    public Snapshot snapshot() {
        INDArray state = graph.getUpdater().getStateViewArray();
        return new Snapshot(graph.params().dup(), state == null ? null : state.dup(), graph.getIterationCount());
    }

    @Override
    public void restore(Snapshot snapshot) {
        graph.params().assign(snapshot.params());
        if (snapshot.updaterState() != null) {
            graph.getUpdater().getStateViewArray().assign(snapshot.updaterState());
        }
    }
}
