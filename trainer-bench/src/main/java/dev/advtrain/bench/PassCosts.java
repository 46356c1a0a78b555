package dev.advtrain.bench;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.train.Trainable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The passes a training epoch is made of, each timed on one batch on a network of its own, in
 * alternation: a training step, a training step that also returns the input gradient (free
 * training's replay), an input-gradient pass (an attack step), and inference on the trainer's
 * metric sample. {@link RecipeVariant#passesRatio} turns them into what a recipe's epoch would cost
 * if the trainer added nothing around its passes.
 */
final class PassCosts {

    /** The rows of each metric sample the trainer takes (clean and adversarial, per batch). */
    static final int SAMPLE_ROWS = 32;
    private static final int REPEATS = 3;

    private final Trainable model;
    private final DifferentiableClassifier classifier;
    private final INDArray x;
    private final INDArray y;
    private final INDArray sampleRows;
    private final List<Double> fits = new ArrayList<>();
    private final List<Double> fitsWithGradient = new ArrayList<>();
    private final List<Double> gradients = new ArrayList<>();
    private final List<Double> samples = new ArrayList<>();

    /** A fresh network of {@code config}'s model, to be timed on {@code batch}. */
    PassCosts(RunConfig config, DataSet batch) {
        model = Trainable.of(ModelFactory.create(config.model(), config.training(), config.seed(), 1));
        classifier = model.classifier(config.adversarial().gradientMode());
        x = batch.getFeatures();
        y = batch.getLabels();
        sampleRows = x.get(NDArrayIndex.interval(0, Math.min(SAMPLE_ROWS, x.size(0))), NDArrayIndex.all());
    }

    /** Times each pass a few times, in turn; {@code record} false only warms up. */
    void measure(boolean record) {
        for (int i = 0; i < REPEATS; i++) {
            time(() -> model.fit(x, y), fits, record);
            time(() -> model.fitWithInputGradient(x, y), fitsWithGradient, record);
            time(() -> classifier.lossGradient(x, y), gradients, record);
            time(() -> model.output(sampleRows), samples, record);
        }
    }

    private static void time(Runnable pass, List<Double> into, boolean record) {
        long started = System.nanoTime();
        pass.run();
        if (record) {
            into.add((System.nanoTime() - started) / 1e6);
        }
    }

    /** Timings recorded per pass. */
    int count() {
        return fits.size();
    }

    /** Median milliseconds of a training step. */
    double fit() {
        return RecipeEpochCost.median(fits);
    }

    /** Median milliseconds of a training step that also returns the input gradient. */
    double fitWithGradient() {
        return RecipeEpochCost.median(fitsWithGradient);
    }

    /** Median milliseconds of an input-gradient pass. */
    double gradient() {
        return RecipeEpochCost.median(gradients);
    }

    /** Median milliseconds of inference on the metric sample. */
    double sample() {
        return RecipeEpochCost.median(samples);
    }
}
