package dev.advtrain.cli;

import dev.advtrain.attacks.AdversarialPatch;
import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.attacks.AttackParams;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.LinfNorm;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.Losses;
import dev.advtrain.attacks.Norm;
import dev.advtrain.attacks.Norms;
import dev.advtrain.attacks.Patch;
import dev.advtrain.attacks.StepSize;
import dev.advtrain.attacks.TransferAttack;
import dev.advtrain.attacks.UniversalPerturbation;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.BackendCheck;
import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.TestSet;
import dev.advtrain.core.eval.AdversarialExamples;
import dev.advtrain.core.eval.AttackDescription;
import dev.advtrain.core.eval.AttackRunner;
import dev.advtrain.core.eval.AttackSummary;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.Targeting;
import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.report.AttackOutputs;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code advtrain attack}: runs one attack of the catalogue on the first test images of a dataset
 * directory and writes the adversarial examples, PNG grids and a summary into a new directory.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Attack a saved model on the first test images of a dataset and write a new directory: adversarial.npy, "
                + "original.npy, labels.npy, predictions.npy, examples.csv, grid-NNN.png and summary.json.")
final class AttackCommand implements Callable<Integer> {

    /** The budget under L-inf when --eps is not given, as for {@code advtrain evaluate}. */
    static final double DEFAULT_LINF_EPS = 0.1;

    /** Images per batch when --batch-size is not given (universal attacks take all at once). */
    static final int DEFAULT_BATCH_SIZE = 100;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model zip (DL4J ModelSerializer) to attack and judge.")
    Path model;

    @Option(names = "--attack", required = true, paramLabel = "NAME", completionCandidates = AttackNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String attack;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New (or empty) output directory.")
    Path out;

    @Option(names = "--eps", paramLabel = "E|inf", converter = EpsConverter.class,
            description = "Perturbation budget in pixel units, or inf (default: 0.1 under linf; required for other norms).")
    Double eps;

    @Option(names = "--norm", paramLabel = "NORM", description = "Threat model norm: linf, l2, ... (default: linf).")
    String norm;

    @Option(names = "--steps", paramLabel = "N", description = "Iterations (default: the attack's).")
    Integer steps;

    @Option(names = "--step-size", paramLabel = "S", description = "Absolute step size (default: the attack's).")
    Double stepSize;

    @Option(names = "--rel-step-size", paramLabel = "F", description = "Step size as a multiple of eps.")
    Double relStepSize;

    @Option(names = "--restarts", paramLabel = "R", description = "Random restarts (default: the attack's).")
    Integer restarts;

    @Option(names = "--loss", paramLabel = "LOSS", description = "ce, margin or dlr, where the attack takes a loss (default: the attack's).")
    String loss;

    @Option(names = "--queries", paramLabel = "Q", description = "Query budget per example of black-box attacks (default: the attack's).")
    Integer queries;

    @Option(names = "--target", paramLabel = "CLASS", description = "Targeted: drive every example to this class.")
    Integer target;

    @Option(names = "--targeted", paramLabel = "next", description = "Targeted: 'next' drives each example to class (y+1) mod C.")
    String targeted;

    @Option(names = "--surrogate", paramLabel = "FILE", description = "Transfer: craft on this model, judge on --model.")
    Path surrogate;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "Test images to attack (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per batch (default: 100; for the universal "
            + "attacks uap and patch, all --limit images, so that one perturbation covers them all).")
    Integer batchSize;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of the attack's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--grids", defaultValue = "4", paramLabel = "G",
            description = "At most G PNG grids of " + AttackOutputs.EXAMPLES_PER_GRID + " examples (default: ${DEFAULT-VALUE}; 0 = none).")
    int grids;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory: MNIST or other IDX files (t10k-* used), CIFAR-10 binary files (test_batch.bin "
            + "used), or an image folder with one sub-folder per class (all of it used, resized to the model's input) "
            + "(default: data/mnist or ADVTRAIN_DATA_DIR; MNIST is fetched there when missing).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    /** The catalogue's names, for help and shell completion. */
    static final class AttackNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return AttackCatalog.names().iterator();
        }
    }

    /** A number, or {@code inf} for an unbounded budget. */
    static final class EpsConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            if (value.equalsIgnoreCase("inf") || value.equalsIgnoreCase("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            return Double.valueOf(value);
        }
    }

    @Override
    public Integer call() {
        BackendCheck.requireSupported();
        checkRunOptions();
        AttackCatalog.Entry entry = userError(() -> AttackCatalog.get(attack), "");
        AttackParams params = params();
        Attack<? super DifferentiableClassifier> built = userError(() -> entry.create(params), "invalid attack options: ");
        Targeting targeting = targeting();
        AttackOutputs.checkNewOrEmpty(out);

        Model judgedModel = ModelFiles.load(model, false);
        Model craftingModel = surrogate == null ? judgedModel : ModelFiles.load(surrogate, false);
        TestSet testSet = EvaluateCommand.testSet(dataDir, judgedModel);
        LabeledImages test = testSet.images();
        Progress progress = TerminalProgress.forConsole();
        new RobustnessEvaluator(judgedModel, progress).checkCompatible(test, model.toString());
        if (surrogate != null) {
            new RobustnessEvaluator(craftingModel, progress).checkCompatible(test, surrogate.toString());
        }
        userError(() -> {
            targeting.checkClasses(test.numClasses());
            return targeting;
        }, "");
        // A transfer attack crafts on the surrogate and never queries the judged model.
        Attack<? super DifferentiableClassifier> run = surrogate == null ? built
                : new TransferAttack(Classifiers.of(craftingModel), built);
        // A universal attack fits one perturbation per batch: by default, one batch of all the images.
        boolean universal = built instanceof UniversalPerturbation || built instanceof AdversarialPatch;
        int batch = batchSize != null ? batchSize : universal ? limit : DEFAULT_BATCH_SIZE;
        AdversarialExamples examples = new AttackRunner(run, Classifiers.of(judgedModel), progress)
                .run(test.first(limit), targeting, batch);
        AttackSummary summary = AttackSummary.of(new AttackSummary.Provenance(entry.name(), AttackDescription.parameters(built),
                options(), model.toString(), surrogate == null ? null : surrogate.toString(), testSet.kind().id(), seed, batch),
                examples);
        // The patch of the last batch (by default the only one): the printable result of the attack.
        INDArray patch = built instanceof AdversarialPatch p ? p.lastPatch().map(Patch::pixels).orElse(null) : null;
        AttackOutputs.write(out, examples, summary, grids, patch, EvaluateCommand.classNames(model, testSet));
        Summary.printAttack(spec.commandLine().getOut(), summary);
        spec.commandLine().getOut().println("output: " + out);
        return ExitCode.OK;
    }

    private void checkRunOptions() {
        if (limit < 1) {
            throw new UserErrorException("--limit must be >= 1, got " + limit);
        }
        if (batchSize != null && batchSize < 1) {
            throw new UserErrorException("--batch-size must be >= 1, got " + batchSize);
        }
        if (grids < 0) {
            throw new UserErrorException("--grids must be >= 0, got " + grids);
        }
        if (stepSize != null && relStepSize != null) {
            throw new UserErrorException("give --step-size or --rel-step-size, not both");
        }
        if (target != null && targeted != null) {
            throw new UserErrorException("give --target CLASS or --targeted next, not both");
        }
        if (targeted != null && !targeted.equals("next")) {
            throw new UserErrorException("--targeted takes 'next' (for one class for all, use --target CLASS), not '" + targeted + "'");
        }
    }

    /** The attack options as AttackParams, inputs in [0, 1]; unset options stay null (the attack's default). */
    private AttackParams params() {
        Norm threat = norm == null ? LinfNorm.INSTANCE : userError(() -> Norms.of(norm), "");
        if (eps == null && threat != LinfNorm.INSTANCE) {
            throw new UserErrorException("give --eps for the " + threat.id() + " threat model (the default 0.1 is for linf)");
        }
        double budget = eps == null ? DEFAULT_LINF_EPS : eps;
        if (!(budget >= 0)) {
            throw new UserErrorException("--eps must be >= 0 or inf, got " + eps);
        }
        StepSize step = null;
        if (stepSize != null || relStepSize != null) {
            step = userError(() -> stepSize != null ? StepSize.absolute(stepSize) : StepSize.relative(relStepSize),
                    stepSize != null ? "--step-size: " : "--rel-step-size: ");
        }
        Loss chosenLoss = loss == null ? null : userError(() -> Losses.of(loss), "");
        return new AttackParams(budget, threat, steps, step, restarts, chosenLoss, queries, seed, 0.0, 1.0);
    }

    private Targeting targeting() {
        if (target != null) {
            return Targeting.toClass(target);
        }
        return targeted != null ? Targeting.nextClass() : Targeting.untargeted();
    }

    /** What the command line set, for the summary. */
    private Map<String, Object> options() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("attack", attack);
        putIfSet(set, "eps", eps == null ? null : Double.isInfinite(eps) ? "inf" : eps);
        putIfSet(set, "norm", norm);
        putIfSet(set, "steps", steps);
        putIfSet(set, "step_size", stepSize);
        putIfSet(set, "rel_step_size", relStepSize);
        putIfSet(set, "restarts", restarts);
        putIfSet(set, "loss", loss);
        putIfSet(set, "queries", queries);
        putIfSet(set, "target", target);
        putIfSet(set, "targeted", targeted);
        set.put("limit", limit);
        set.put("seed", seed);
        return set;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Runs {@code step}; its IllegalArgumentException becomes a one-line user error. */
    private static <T> T userError(Supplier<T> step, String prefix) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new UserErrorException(prefix + UserErrorException.firstLine(e), e);
        }
    }
}
