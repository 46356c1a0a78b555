package dev.advtrain.core.train.recipe;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.core.config.AdversarialConfig;
import dev.advtrain.core.train.Mixing;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The one place a clean minibatch becomes the batch an interleaving recipe (PGD-AT, fast AT,
 * N-FGSM) trains on: the share of rows that {@link Mixing} asks for is replaced by adversarial
 * examples crafted against the model as it is now. The local trainer ({@link BatchTrainers}) and
 * the Spark workers' training hook both call {@link #mix}, so both train on the same batches.
 *
 * <pre>{@code
 * InterleavedBatches batches = InterleavedBatches.of(config.adversarial());
 * InterleavedBatches.Mixed mixed = batches.mix(model.classifier(mode), batch);
 * model.fit(mixed.features(), batch.labels());
 * }</pre>
 */
public final class InterleavedBatches {

    private final Mixing mixing;
    private final Perturbation perturbation;

    InterleavedBatches(Mixing mixing, Perturbation perturbation) {
        this.mixing = mixing;
        this.perturbation = perturbation;
    }

    /**
     * The mixing and attack of an interleaving recipe's config.
     *
     * @throws IllegalArgumentException for a recipe that does not interleave ({@link
     *     dev.advtrain.core.config.Recipe#mixes()} is false)
     */
    public static InterleavedBatches of(AdversarialConfig config) {
        Mixing mixing = Mixing.of(config.mixing());
        return switch (config.recipe()) {
            case PGD_AT, FAST_AT -> new InterleavedBatches(mixing, Perturbation.attack(config.trainingAttack()));
            case N_FGSM -> new InterleavedBatches(mixing, Perturbation.noisyFgsm(config.trainingAttack(), config.noise()));
            case FREE, TRADES, MART -> throw new IllegalArgumentException("recipe " + config.recipe()
                    + " does not interleave clean and adversarial batches");
        };
    }

    /**
     * The batch to train on.
     *
     * @param attacked the model being trained, as the attack sees it
     * @return the features, with the first {@link Mixed#adversarial()} rows adversarial; the clean
     *     features themselves when there are none
     */
    public Mixed mix(DifferentiableClassifier attacked, BatchTrainer.Batch batch) {
        int k = mixing.adversarialCount(batch.index(), batch.size());
        INDArray x = batch.features();
        if (k == 0) {
            return new Mixed(x, 0);
        }
        INDArray adversarial = perturbation.apply(attacked, rows(x, 0, k), rows(batch.labels(), 0, k), batch.eps(),
                batch.stepScale(), batch.seed());
        INDArray features = x.dup();
        rows(features, 0, k).assign(adversarial);
        return new Mixed(features, k);
    }

    /**
     * A batch as trained on.
     *
     * @param adversarial how many of the first rows of {@code features} are adversarial
     */
    public record Mixed(INDArray features, int adversarial) {
    }

    /** Rows {@code [from, to)} as a view; an empty range gives null. */
    static INDArray rows(INDArray a, int from, int to) {
        return to > from ? a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()) : null;
    }
}
