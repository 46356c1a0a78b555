package dev.advtrain.core.eval.suite;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Norm;
import dev.advtrain.attacks.TransferAttack;
import dev.advtrain.core.Progress;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.AdversarialExamples;
import dev.advtrain.core.eval.AttackDescription;
import dev.advtrain.core.eval.AttackRunner;
import dev.advtrain.core.eval.Targeting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Runs an evaluation suite against one model: clean accuracy, then every attack at every eps of
 * every threat model on the same images, the per-example worst case, per-class numbers at each
 * headline eps, the sanity checks, the defences and the gate.
 *
 * <p>An image counts as robust at an eps only if the model classifies it correctly clean and no
 * attack of the threat model broke it. With {@code cascade} (the default, as in AutoAttack) each
 * attack runs only on the images that are still robust, which gives the same worst case for much
 * less work; without it every attack runs on every clean-correct image, so that each attack's own
 * robust accuracy is known.
 *
 * <pre>{@code
 * SuiteResult result = new SuiteRunner(Classifiers.of(net), ModelFiles::classifier, Progress.none())
 *         .run(SuiteConfig.load(file, List.of()), mnist.test(), "model.zip");
 * }</pre>
 */
public final class SuiteRunner {

    private final DifferentiableClassifier model;
    private final Function<String, DifferentiableClassifier> surrogates;
    private final Progress progress;

    /**
     * @param model the evaluated model, as deployed
     * @param surrogates loads the surrogate model of a transfer attack from its file name
     * @param progress where progress is reported
     */
    public SuiteRunner(DifferentiableClassifier model, Function<String, DifferentiableClassifier> surrogates,
            Progress progress) {
        this.model = model;
        this.surrogates = surrogates;
        this.progress = progress;
    }

    /** Evaluates the model on the suite's first images of {@code test}. */
    public SuiteResult run(SuiteConfig suite, LabeledImages test, String modelName) {
        long started = System.nanoTime();
        LabeledImages sample = suite.data().limit() > 0 ? test.first(suite.data().limit()) : test;
        Predictions clean = Predictions.of(model, sample, suite.batchSize());
        boolean[] cleanCorrect = clean.correct(sample);
        List<SuiteReport.AttackOutcome> results = new ArrayList<>();
        List<SuiteReport.WorstCase> worstCase = new ArrayList<>();
        List<SuiteReport.PerClass> perClass = new ArrayList<>();
        List<WorstCaseExamples> examples = new ArrayList<>();
        List<ThreatOutcome> threats = new ArrayList<>();
        for (SuiteConfig.Threat threat : suite.threats()) {
            Map<String, boolean[]> headlineSuccess = new LinkedHashMap<>();
            for (double eps : threat.curve()) {
                boolean headline = eps == threat.eps();
                AtEps at = attackAt(suite, threat, eps, sample, cleanCorrect, clean, results);
                worstCase.add(new SuiteReport.WorstCase(threat.norm(), eps, headline, fraction(at.robust), at.brokenBy));
                if (headline) {
                    headlineSuccess.putAll(at.success);
                    perClass.add(perClass(threat, sample, cleanCorrect, at));
                    examples.add(new WorstCaseExamples(threat.norm(), eps, sample, clean.classes(), clean.confidences(),
                            at.adversarial, at.breaker, at.predictions, at.confidences));
                }
            }
            threats.add(new ThreatOutcome(threat, headlineSuccess));
        }
        List<SuiteReport.SanityCheck> sanity = suite.sanity().enabled()
                ? new SanityChecks(model, suite, progress).run(sample, cleanCorrect, results, worstCase, threats)
                : List.of();
        List<SuiteReport.DefenceOutcome> defences = new DefenceEvaluation(model, suite, progress).run(sample);
        SuiteReport.Gate gate = Gate.of(suite, results, worstCase, sanity);
        SuiteReport report = new SuiteReport(SuiteReport.SCHEMA, suite.name(), modelName, suite.data().dataset(),
                sample.size(), fraction(cleanCorrect), suite.seed(), suite.batchSize(), results, worstCase, perClass, sanity,
                defences, gate, (System.nanoTime() - started) / 1e9);
        return new SuiteResult(report, examples);
    }

    /**
     * The headline-eps outcome of one threat model that the sanity checks need.
     *
     * @param threat the threat model
     * @param success per attack label, which sample images the attack broke (false where it did not run)
     */
    record ThreatOutcome(SuiteConfig.Threat threat, Map<String, boolean[]> success) {
    }

    /** Every attack of a threat model at one eps. */
    private AtEps attackAt(SuiteConfig suite, SuiteConfig.Threat threat, double eps, LabeledImages sample,
            boolean[] cleanCorrect, Predictions clean, List<SuiteReport.AttackOutcome> results) {
        int n = sample.size();
        Norm norm = threat.toNorm();
        AtEps at = new AtEps(cleanCorrect.clone(), sample, clean);
        for (SuiteConfig.AttackEntry entry : threat.attacks()) {
            long seed = Seeds.derive(suite.seed(), "suite/" + threat.norm() + "/" + entry.label(), 0);
            Attack<? super DifferentiableClassifier> built = entry.create(eps, norm, seed);
            Attack<? super DifferentiableClassifier> attack = entry.surrogate() == null ? built
                    : new TransferAttack(surrogates.apply(entry.surrogate()), built);
            int[] chosen = indices(suite.cascade() ? at.robust : cleanCorrect);
            boolean[] success = new boolean[n];
            long started = System.nanoTime();
            int successes = 0;
            double perturbation = 0;
            long queries = 0;
            if (chosen.length > 0) {
                AdversarialExamples ex = new AttackRunner(attack, model, progress)
                        .run(sample.select(chosen), Targeting.untargeted(), suite.batchSize());
                for (int k = 0; k < chosen.length; k++) {
                    int i = chosen[k];
                    queries += ex.queries(k);
                    if (ex.success(k)) {
                        success[i] = true;
                        successes++;
                        perturbation += ex.threatNorm(k);
                    }
                    if (at.robust[i]) { // the first success, or the latest failed attempt, is the example shown
                        at.record(i, ex, k, sample.pixelsPerExample());
                        if (ex.success(k)) {
                            at.robust[i] = false;
                            at.brokenBy.merge(entry.label(), 1, Integer::sum);
                            at.breaker[i] = entry.label();
                        }
                    }
                }
            }
            at.brokenBy.putIfAbsent(entry.label(), 0);
            at.success.put(entry.label(), success);
            int robust = 0;
            for (int i = 0; i < n; i++) {
                robust += (suite.cascade() ? at.robust[i] : cleanCorrect[i] && !success[i]) ? 1 : 0;
            }
            Map<String, Object> parameters = new LinkedHashMap<>(AttackDescription.parameters(built));
            parameters.put("seed", seed);
            if (entry.surrogate() != null) {
                parameters.put("surrogate", entry.surrogate());
            }
            results.add(new SuiteReport.AttackOutcome(entry.label(), threat.norm(), eps, parameters, n, chosen.length,
                    (double) robust / n, successes, successes == 0 ? Double.NaN : perturbation / successes,
                    chosen.length == 0 ? 0.0 : (double) queries / chosen.length, (System.nanoTime() - started) / 1e9));
        }
        return at;
    }

    /**
     * The state of one threat model at one eps as its attacks run.
     *
     * @param robust which images are still robust
     * @param adversarial each image's worst-case adversarial pixels: those of the attack that broke it, else of
     *     the latest attack that tried (the clean pixels when none did)
     */
    private static final class AtEps {
        final boolean[] robust;
        final Map<String, Integer> brokenBy = new LinkedHashMap<>();
        final Map<String, boolean[]> success = new LinkedHashMap<>();
        final String[] breaker;
        final int[] predictions;
        final double[] confidences;
        final float[] adversarial;

        AtEps(boolean[] robust, LabeledImages sample, Predictions clean) {
            int n = sample.size();
            this.robust = robust;
            this.breaker = new String[n];
            this.predictions = clean.classes().clone();
            this.confidences = clean.confidences().clone();
            this.adversarial = new float[n * sample.pixelsPerExample()];
            for (int i = 0; i < n; i++) {
                sample.copyPixels(i, adversarial, i * sample.pixelsPerExample());
            }
        }

        /** Keeps example {@code k} of {@code ex} as image {@code i}'s adversarial example. */
        void record(int i, AdversarialExamples ex, int k, int pixels) {
            predictions[i] = ex.adversarialPrediction(k);
            confidences[i] = ex.adversarialConfidence(k);
            System.arraycopy(ex.adversarialPixels(k), 0, adversarial, i * pixels, pixels);
        }
    }

    private static SuiteReport.PerClass perClass(SuiteConfig.Threat threat, LabeledImages sample, boolean[] cleanCorrect,
            AtEps at) {
        int classes = sample.numClasses();
        int[] count = new int[classes];
        int[] correct = new int[classes];
        int[] robust = new int[classes];
        int[][] confusion = new int[classes][classes];
        for (int i = 0; i < sample.size(); i++) {
            int y = sample.label(i);
            count[y]++;
            correct[y] += cleanCorrect[i] ? 1 : 0;
            robust[y] += at.robust[i] ? 1 : 0;
            confusion[y][at.predictions[i]]++;
        }
        List<SuiteReport.ClassOutcome> outcomes = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            outcomes.add(new SuiteReport.ClassOutcome(c, count[c], count[c] == 0 ? Double.NaN : (double) correct[c] / count[c],
                    count[c] == 0 ? Double.NaN : (double) robust[c] / count[c]));
        }
        return new SuiteReport.PerClass(threat.norm(), threat.eps(), outcomes, confusion);
    }

    static int[] indices(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            count += f ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    static double fraction(boolean[] flags) {
        return flags.length == 0 ? Double.NaN : (double) indices(flags).length / flags.length;
    }

    /**
     * A model's top class and its probability for each image of a set.
     *
     * @param classes predicted class per image
     * @param confidences the model's output for that class
     */
    record Predictions(int[] classes, double[] confidences) {

        static Predictions of(DifferentiableClassifier model, LabeledImages images, int batchSize) {
            int[] classes = new int[images.size()];
            double[] confidences = new double[images.size()];
            ImageDataSetIterator batches = ImageDataSetIterator.builder(images).batchSize(batchSize).build();
            int offset = 0;
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                INDArray scores = model.predict(batch.getFeatures());
                AdversarialExamples.topClasses(scores, classes, confidences, offset);
                offset += (int) scores.size(0);
            }
            return new Predictions(classes, confidences);
        }

        boolean[] correct(LabeledImages images) {
            boolean[] correct = new boolean[classes.length];
            for (int i = 0; i < classes.length; i++) {
                correct[i] = classes[i] == images.label(i);
            }
            return correct;
        }
    }

    /**
     * The worst-case adversarial example of every image at a threat model's headline eps, for the
     * report's grids: the example of the first attack that broke the image, else the latest failed
     * attempt, else (never attacked, e.g. misclassified clean) the clean image.
     *
     * @param cleanPredictions per image, the model's class on the clean image
     * @param cleanConfidences the model's output for that class
     * @param adversarial per image, the worst-case example's pixels, image after image
     * @param breaker per image, the attack that broke it, or null
     * @param predictions per image, the model's class on its worst-case example
     * @param confidences the model's output for that class
     */
    public record WorstCaseExamples(String norm, double eps, LabeledImages images, int[] cleanPredictions,
            double[] cleanConfidences, float[] adversarial, String[] breaker, int[] predictions, double[] confidences) {
    }

    /**
     * What an evaluation produced: the report, and the examples behind its grids.
     *
     * @param report the report
     * @param examples per threat model, the worst-case examples at its headline eps
     */
    public record SuiteResult(SuiteReport report, List<WorstCaseExamples> examples) {
    }
}
