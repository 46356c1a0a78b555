package dev.advtrain.core.eval;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackResult;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.Progress;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Clean and robust accuracy of a classifier as deployed (inference mode), on the first images of a
 * dataset. An image counts as robust only if the model gets it right both clean and under attack.
 */
public final class RobustnessEvaluator {

    private static final int BATCH = 250;

    private final DifferentiableClassifier classifier;
    private final Progress progress;

    public RobustnessEvaluator(Model model, Progress progress) {
        this.classifier = Classifiers.of(model);
        this.progress = progress;
    }

    /**
     * Checks that the model takes these images and predicts their classes; a user error otherwise.
     */
    public void checkCompatible(LabeledImages data, String modelName) {
        DataSet sample = batches(data.first(Math.min(2, data.size()))).next();
        INDArray out;
        try {
            out = classifier.predict(sample.getFeatures());
        } catch (RuntimeException e) {
            throw new UserErrorException(modelName + ": the model does not take " + data.height() + "x" + data.width()
                    + "x" + data.channels() + " images (" + UserErrorException.firstLine(e) + ")", e);
        }
        if (out.rank() != 2 || out.size(1) != data.numClasses()) {
            throw new UserErrorException(modelName + ": the model predicts " + (out.rank() == 2 ? out.size(1) : -1)
                    + " classes but the data has " + data.numClasses());
        }
    }

    /** Share of the images classified correctly. */
    public double cleanAccuracy(LabeledImages data) {
        boolean[] correct = cleanCorrect(data, "clean accuracy");
        return fraction(correct, correct.length);
    }

    /** The full report: clean accuracy on {@code cleanData}, then each attack on its own first images of {@code data}. */
    public RobustnessReport evaluate(String modelName, String dataset, LabeledImages data, int cleanLimit,
            List<AttackConfig> attacks, long seed) {
        LabeledImages cleanData = cleanLimit > 0 ? data.first(Math.min(cleanLimit, data.size())) : data;
        double clean = cleanAccuracy(cleanData);
        List<RobustnessReport.AttackOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < attacks.size(); i++) {
            AttackConfig config = attacks.get(i);
            LabeledImages subset = config.limit() > 0 ? data.first(Math.min(config.limit(), data.size())) : data;
            outcomes.add(attack(config, subset, Seeds.derive(seed, "evaluation-attack", i)));
        }
        return new RobustnessReport(modelName, dataset, cleanData.size(), clean, seed, outcomes);
    }

    /** Robust accuracy under one attack on all of {@code data}. */
    public RobustnessReport.AttackOutcome attack(AttackConfig config, LabeledImages data, long seed) {
        long started = System.nanoTime();
        Attack<DifferentiableClassifier> attack = Attacks.create(config, seed);
        int robust = 0;
        int cleanCorrectCount = 0;
        int done = 0;
        double perturbation = 0;
        String label = config.attack().id() + " eps " + config.eps();
        try (Progress.Task task = progress.start(label, data.size())) {
            ImageDataSetIterator it = batches(data);
            while (it.hasNext()) {
                DataSet batch = it.next();
                INDArray labels = batch.getLabels();
                boolean[] clean = correct(classifier.predict(batch.getFeatures()), labels);
                AttackResult result = attack.generate(classifier, batch.getFeatures(), Criterion.untargeted(labels));
                boolean[] adversarial = correct(result.predictions(), labels);
                for (int j = 0; j < clean.length; j++) {
                    cleanCorrectCount += clean[j] ? 1 : 0;
                    robust += clean[j] && adversarial[j] ? 1 : 0;
                }
                for (double norm : result.perturbationNorms()) {
                    perturbation += norm;
                }
                done += clean.length;
                task.status(String.format("robust %.3f", (double) robust / done)); // before step, which may print it
                task.step(clean.length);
            }
        }
        int n = data.size();
        return new RobustnessReport.AttackOutcome(config.attack().id(), attack.norm().id(), config.eps(), config.steps(),
                config.resolvedStepSize(), config.restarts(), config.randomStart(), n, (double) cleanCorrectCount / n,
                (double) robust / n, perturbation / n, (System.nanoTime() - started) / 1e9);
    }

    private boolean[] cleanCorrect(LabeledImages data, String label) {
        boolean[] all = new boolean[data.size()];
        int offset = 0;
        try (Progress.Task task = progress.start(label, data.size())) {
            ImageDataSetIterator it = batches(data);
            while (it.hasNext()) {
                DataSet batch = it.next();
                boolean[] correct = correct(classifier.predict(batch.getFeatures()), batch.getLabels());
                System.arraycopy(correct, 0, all, offset, correct.length);
                offset += correct.length;
                task.step(correct.length);
            }
        }
        return all;
    }

    private static ImageDataSetIterator batches(LabeledImages data) {
        return ImageDataSetIterator.builder(data).batchSize(BATCH).build();
    }

    static boolean[] correct(INDArray predictions, INDArray oneHot) {
        long[] predicted = Nd4j.argMax(predictions, 1).toLongVector();
        long[] truth = Nd4j.argMax(oneHot, 1).toLongVector();
        boolean[] correct = new boolean[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            correct[i] = predicted[i] == truth[i];
        }
        return correct;
    }

    private static double fraction(boolean[] flags, int n) {
        int count = 0;
        for (boolean f : flags) {
            count += f ? 1 : 0;
        }
        return n == 0 ? 0.0 : (double) count / n;
    }
}
