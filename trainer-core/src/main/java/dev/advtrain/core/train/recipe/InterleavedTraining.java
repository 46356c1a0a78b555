package dev.advtrain.core.train.recipe;

import static dev.advtrain.core.train.recipe.InterleavedBatches.rows;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.core.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PGD-AT, fast AT and N-FGSM: {@link InterleavedBatches} turns each batch into its mixed version
 * against the current weights, then one optimiser step is taken on it with the model's own loss.
 */
final class InterleavedTraining implements BatchTrainer {

    private final Trainable model;
    private final DifferentiableClassifier attacked;
    private final InterleavedBatches batches;

    InterleavedTraining(Trainable model, DifferentiableClassifier attacked, InterleavedBatches batches) {
        this.model = model;
        this.attacked = attacked;
        this.batches = batches;
    }

    @Override
    public double train(Batch batch, Sampler sampler) {
        int n = batch.size();
        InterleavedBatches.Mixed mixed = batches.mix(attacked, batch);
        int k = mixed.adversarial();
        INDArray features = mixed.features();
        INDArray y = batch.labels();
        sampler.sample(rows(features, k, n), rows(y, k, n), rows(features, 0, k), rows(y, 0, k));
        return model.fit(features, y);
    }
}
