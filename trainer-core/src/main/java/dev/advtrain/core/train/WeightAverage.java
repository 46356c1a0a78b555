package dev.advtrain.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of the weights, the weight averaging of robust training recipes
 * (Gowal et al. 2020; Rebuffi et al. 2021): after every batch, {@code average = d * average + (1 -
 * d) * weights}, with {@code d = min(decay, (1 + t) / (10 + t))} after {@code t} averaged batches,
 * so that the first batches are not buried under the starting weights. The average lives in a copy
 * of the network, which {@link #judged judged} listeners (validation, {@code model-best.zip}) see in
 * place of the trained one; the trained weights and their optimiser state go on unchanged.
 *
 * <p>Added after the catastrophic-overfitting guard: when the guard rolled the weights back
 * ({@code rolled_back} in the epoch record), the average starts again from the restored weights.
 */
public final class WeightAverage implements TrainingListener {

    private final Trainable trained;
    private final Trainable average;
    private final double decay;
    private long updates;

    /** Starts averaging at {@code trained}'s weights now. */
    public WeightAverage(Trainable trained, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1), got " + decay);
        }
        this.trained = trained;
        this.average = trained.copy();
        this.decay = decay;
    }

    /**
     * Continues an average saved with a checkpoint.
     *
     * @param params the averaged weights, as {@link #params()} gave them
     * @param updates the batches averaged into them, as {@link #updates()} gave it
     */
    public WeightAverage resume(INDArray params, long updates) {
        if (params.length() != trained.numParams()) {
            throw new IllegalArgumentException("the saved average has " + params.length() + " weights, the network "
                    + trained.numParams());
        }
        average.model().params().assign(params.reshape(average.model().params().shape()));
        this.updates = updates;
        return this;
    }

    /** The averaged network, to validate, save and evaluate. */
    public Trainable average() {
        return average;
    }

    /** The averaged weights (a view: copy it to keep it). */
    public INDArray params() {
        return average.model().params();
    }

    /** The batches averaged so far. */
    public long updates() {
        return updates;
    }

    @Override
    public void onBatchEnd(BatchEvent event) {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        INDArray weights = trained.model().params();
        params().subi(weights).muli(d).addi(weights); // d * average + (1 - d) * weights, without a temporary copy
        updates++;
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        if (record.rolledBack()) {
            params().assign(trained.model().params());
            updates = 0;
        }
    }

    /** {@code listener}, shown the averaged network instead of the trained one at each epoch's end. */
    public TrainingListener judged(TrainingListener listener) {
        return new TrainingListener() {
            @Override
            public void onTrainingStart(Trainable model, int firstEpoch, int epochs, int batchesPerEpoch) {
                listener.onTrainingStart(average, firstEpoch, epochs, batchesPerEpoch);
            }

            @Override
            public void onBatchEnd(BatchEvent event) {
                listener.onBatchEnd(event);
            }

            @Override
            public void onEpochEnd(Trainable model, EpochRecord record) {
                listener.onEpochEnd(average, record);
            }

            @Override
            public void onTrainingEnd(Trainable model) {
                listener.onTrainingEnd(average);
            }
        };
    }
}
