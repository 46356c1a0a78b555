package dev.advtrain.attacks;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An attack's output: the adversarial batch, and, computed on first use with one forward pass, the
 * model's predictions on it and which examples met the criterion.
 */
public final class AttackResult {

    private final INDArray original;
    private final INDArray adversarial;
    private final Criterion criterion;
    private final Classifier model;
    private final Norm norm;
    private final long[] queries;
    private INDArray predictions;

    AttackResult(INDArray original, INDArray adversarial, Criterion criterion, Classifier model, Norm norm,
            long[] queries) {
        this.queries = queries;
        this.original = original;
        this.adversarial = adversarial;
        this.criterion = criterion;
        this.model = model;
        this.norm = norm;
    }

    /** The adversarial batch, shaped like the input. */
    public INDArray adversarial() {
        return adversarial;
    }

    /** The model's class scores on the adversarial batch. */
    public INDArray predictions() {
        if (predictions == null) {
            predictions = model.predict(adversarial);
        }
        return predictions;
    }

    /** Per example: did the attack meet its criterion? */
    public boolean[] success() {
        return criterion.isSuccess(predictions());
    }

    /** Share of examples for which the attack met its criterion. */
    public double successRate() {
        boolean[] success = success();
        int count = 0;
        for (boolean s : success) {
            count += s ? 1 : 0;
        }
        return success.length == 0 ? 0.0 : (double) count / success.length;
    }

    /**
     * Model evaluations the attack spent per example: queries for black-box attacks, gradient
     * passes for white-box ones (zero where an attack does not count).
     */
    public long[] queries() {
        return queries.clone();
    }

    /** Mean of {@link #queries()} over the batch. */
    public double meanQueries() {
        return Arrays.stream(queries).average().orElse(0.0);
    }

    /** The clean inputs the attack started from. */
    public INDArray original() {
        return original;
    }

    /** The criterion the attack was run against. */
    public Criterion criterion() {
        return criterion;
    }

    /** Per-example size of the perturbation under the attack's norm. */
    public double[] perturbationNorms() {
        return norm.perExampleNorm(adversarial.sub(original));
    }
}
