package dev.advtrain.core.train.recipe;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.core.train.Mixing;
import dev.advtrain.core.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PGD-AT, fast AT and N-FGSM: the share of each batch that {@link Mixing} asks for is replaced by
 * adversarial examples crafted against the current weights, then one optimiser step is taken on
 * the mixed batch with the model's own loss.
 */
final class InterleavedTraining implements BatchTrainer {

    private final Trainable model;
    private final DifferentiableClassifier attacked;
    private final Mixing mixing;
    private final Perturbation perturbation;

    InterleavedTraining(Trainable model, DifferentiableClassifier attacked, Mixing mixing, Perturbation perturbation) {
        this.model = model;
        this.attacked = attacked;
        this.mixing = mixing;
        this.perturbation = perturbation;
    }

    @Override
    public double train(Batch batch, Sampler sampler) {
        int n = batch.size();
        int k = mixing.adversarialCount(batch.index(), n);
        INDArray x = batch.features();
        INDArray y = batch.labels();
        INDArray features = x;
        if (k > 0) {
            INDArray adversarial = perturbation.apply(attacked, rows(x, 0, k), rows(y, 0, k), batch.eps(), batch.stepScale(),
                    batch.seed());
            features = x.dup();
            rows(features, 0, k).assign(adversarial);
        }
        sampler.sample(rows(features, k, n), rows(y, k, n), rows(features, 0, k), rows(y, 0, k));
        return model.fit(features, y);
    }

    /** Rows {@code [from, to)} as a view; an empty range gives null. */
    static INDArray rows(INDArray a, int from, int to) {
        return to > from ? a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()) : null;
    }
}
