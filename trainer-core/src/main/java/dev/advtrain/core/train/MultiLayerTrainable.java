package dev.advtrain.core.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Trainable} over a {@link MultiLayerNetwork}. */
final class MultiLayerTrainable implements Trainable {

    private final MultiLayerNetwork network;

    MultiLayerTrainable(MultiLayerNetwork network) {
        this.network = network;
    }

    @Override
    public Model model() {
        return network;
    }

    @Override
    public Trainable copy() {
        return new MultiLayerTrainable(network.clone());
    }

    @Override
    public double fit(INDArray x, INDArray labels) {
        network.fit(new DataSet(x, labels));
        return network.score();
    }

    /**
     * {@code calculateGradients} gives the weights' and the input's gradients of one backward pass;
     * the weights are then updated as {@code fit} would (updater, then params minus the update).
     */
    @Override
    public StepWithInputGradient fitWithInputGradient(INDArray x, INDArray labels) {
        ScoreRecordingLoss recorder = new ScoreRecordingLoss(outputLayerConf().getLossFn());
        Pair<Gradient, INDArray> pass;
        try (LossSwap ignored = useLoss(recorder)) {
            pass = network.calculateGradients(x, labels, null, null);
        }
        double loss = recorder.meanScore() + network.calcRegularizationScore(true); // as fit's score, pre-step
        int iteration = network.getIterationCount();
        network.getUpdater().update(network, pass.getFirst(), iteration, network.getEpochCount(), (int) x.size(0),
                LayerWorkspaceMgr.noWorkspaces());
        INDArray params = network.params();
        params.subi(pass.getFirst().gradient().reshape(params.length()));
        network.setIterationCount(iteration + 1);
        return new StepWithInputGradient(loss, pass.getSecond());
    }

    @Override
    public INDArray output(INDArray x) {
        return network.output(x, false);
    }

    @Override
    public long iterationCount() {
        return network.getIterationCount();
    }

    @Override
    public void setEpochCount(int epochs) {
        network.setEpochCount(epochs);
    }

    @Override
    public double learningRate() {
        Double lr = network.getLearningRate(0);
        return lr == null ? Double.NaN : lr;
    }

    @Override
    public long numParams() {
        return network.numParams();
    }

    @Override
    public BaseOutputLayer outputLayerConf() {
        return (BaseOutputLayer) network.getOutputLayer().conf().getLayer();
    }

    @Override
    public Snapshot snapshot() {
        INDArray state = network.getUpdater().getStateViewArray();
        return new Snapshot(network.params().dup(), state == null ? null : state.dup(), network.getIterationCount());
    }

    @Override
    public void restore(Snapshot snapshot) {
        network.params().assign(snapshot.params());
        if (snapshot.updaterState() != null) {
            network.getUpdater().getStateViewArray().assign(snapshot.updaterState());
        }
    }
}
