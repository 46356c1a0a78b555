package dev.advtrain.cli;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.BackendCheck;
import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.data.TestSet;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.suite.SuiteConfig;
import dev.advtrain.core.eval.suite.SuiteRunner;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.model.NetworkInput;
import dev.advtrain.core.model.PixelInput;
import dev.advtrain.core.report.AttackOutputs;
import dev.advtrain.core.report.ClassNames;
import dev.advtrain.core.report.SuiteOutputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code advtrain evaluate}: runs an evaluation suite against a saved model and writes the report
 * into a new directory; exit code 1 when robust accuracy is below a bar (the deployment gate).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved DL4J model (MultiLayerNetwork or ComputationGraph) with an evaluation suite: "
                + "attacks under each threat model and eps, the per-example worst case, per-class numbers, sanity checks "
                + "and defences. Writes report.json, report.html, charts and example grids into a new directory.",
                "Exit codes: 0 passed, 1 robust accuracy below a bar (or, with --fail-on-warning, a sanity warning), "
                + "2 user error."})
final class EvaluateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model zip written by DL4J's ModelSerializer.")
    Path model;

    @Option(names = "--suite", paramLabel = "FILE", description = "Evaluation suite (configs/eval-*.yaml); default: "
            + "APGD-CE (50 iterations) then Square (250 queries) under linf at eps 0.1 on 500 test images, with sanity checks.")
    Path suite;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a suite key, e.g. --set data.limit=200 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--attack", paramLabel = "NAME", completionCandidates = AttackCommand.AttackNames.class,
            description = "Evaluate this one attack instead of the suite's: ${COMPLETION-CANDIDATES}.")
    String attack;

    @Option(names = "--eps", paramLabel = "E", description = "With --attack: the budget (default 0.1 under linf).")
    Double eps;

    @Option(names = "--norm", paramLabel = "NORM", description = "With --attack: linf, l2, l1 or l0 (default linf).")
    String norm;

    @Option(names = "--steps", paramLabel = "K", description = "With --attack: iterations (default: the attack's).")
    Integer steps;

    @Option(names = "--step-size", paramLabel = "A", description = "With --attack: absolute step size (default: the attack's).")
    Double stepSize;

    @Option(names = "--restarts", paramLabel = "R", description = "With --attack: random restarts (default: the attack's).")
    Integer restarts;

    @Option(names = "--limit", paramLabel = "N", description = "Test images to evaluate (the suite's data.limit; 0 = all).")
    Integer limit;

    @Option(names = "--fail-under", paramLabel = "ACC",
            description = "Exit 1 when the worst-case robust accuracy at a threat model's headline eps is below ACC.")
    Double failUnder;

    @Option(names = "--fail-on-warning", description = "Exit 1 when a sanity check warns.")
    boolean failOnWarning;

    @Option(names = "--no-sanity", description = "Skip the sanity checks.")
    boolean noSanity;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory: MNIST or other IDX files (t10k-* used), CIFAR-10 binary files (test_batch.bin "
            + "used), or an image folder with one sub-folder per class (all of it used, resized to the model's input) "
            + "(default: the suite's, data/mnist or ADVTRAIN_DATA_DIR; MNIST is fetched there when missing).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", description = "New output directory (default: evaluation-<suite name> beside the model).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackendCheck.requireSupported();
        SuiteConfig config = SuiteConfig.load(suite, overrides());
        if (failUnder != null) {
            config = config.withFailUnder(failUnder);
        }
        Path dir = out != null ? out : model.toAbsolutePath().getParent().resolve("evaluation-" + config.name());
        AttackOutputs.checkNewOrEmpty(dir);
        Model network = ModelFiles.load(model, false);
        TestSet test = testSet(dataDir != null ? dataDir : config.data().dir() == null ? null : Path.of(config.data().dir()),
                network);
        config = config.withDataset(test.kind().id());
        Progress progress = TerminalProgress.forConsole();
        new RobustnessEvaluator(network, progress).checkCompatible(test.images(), model.toString());
        SuiteRunner.SuiteResult result = new SuiteRunner(Classifiers.of(network), file -> Classifiers.of(ModelFiles.load(Path.of(file), false)),
                progress).run(config, test.images(), model.toString());
        SuiteOutputs.write(dir, result, config, classNames(model, test));
        Summary.printSuite(spec.commandLine().getOut(), result.report());
        spec.commandLine().getOut().println("report: " + dir.resolve("report.html"));
        return result.report().gate().passed() ? ExitCode.OK : ExitCode.BELOW_BAR;
    }

    /** The --set overrides, then what the other options say, as overrides of the same keys. */
    private List<String> overrides() {
        List<String> all = new ArrayList<>(overrides);
        if (attack == null && (eps != null || norm != null || steps != null || stepSize != null || restarts != null)) {
            throw new UserErrorException("--eps, --norm, --steps, --step-size and --restarts go with --attack; "
                    + "to change the suite, use --set");
        }
        if (attack != null) {
            all.add("threats=" + quickThreat());
        }
        if (limit != null) {
            all.add("data.limit=" + limit);
        }
        if (failUnder != null) {
            if (!(failUnder >= 0 && failUnder <= 1)) {
                throw new UserErrorException("--fail-under must be in [0, 1], got " + failUnder);
            }
        }
        if (failOnWarning) {
            all.add("sanity.fail_on_warning=true");
        }
        if (noSanity) {
            all.add("sanity.enabled=false");
        }
        return all;
    }

    /** The one threat model that --attack and its options describe, as a YAML flow list. */
    private String quickThreat() {
        String threatNorm = norm == null ? "linf" : norm;
        if (eps == null && !threatNorm.equals("linf")) {
            throw new UserErrorException("give --eps for the " + threatNorm + " threat model (the default 0.1 is for linf)");
        }
        StringBuilder entry = new StringBuilder("{attack: '").append(attack.replace("'", "''")).append("'");
        if (steps != null) {
            entry.append(", steps: ").append(steps);
        }
        if (stepSize != null) {
            entry.append(", step_size: ").append(stepSize);
        }
        if (restarts != null) {
            entry.append(", restarts: ").append(restarts);
        }
        entry.append('}');
        return String.format(Locale.ROOT, "[{norm: '%s', eps: %s, attacks: [%s]}]", threatNorm.replace("'", "''"),
                eps == null ? "0.1" : eps.toString(), entry);
    }

    /**
     * The test images in {@code dataDir} (any dataset directory, see {@link TestSet#load}), or in the
     * default data directory when null or the same; the default directory gets MNIST, fetched when
     * missing, unless it holds CIFAR-10 or an image folder. An image folder is resized to the
     * model's input shape (its {@link PixelInput}), or to 28x28 grey for a model without one.
     */
    static TestSet testSet(Path dataDir, Model network) {
        Path defaultDir = Path.of(ConfigLoader.load(null, List.of()).data().dir());
        Path dir = dataDir != null ? dataDir : defaultDir;
        PixelInput input = NetworkInput.of(network);
        int channels = input != null ? input.channels() : 1;
        int height = input != null ? input.height() : ModelFactory.HEIGHT;
        int width = input != null ? input.width() : ModelFactory.WIDTH;
        if (channels != 1 && channels != 3) {
            throw new UserErrorException("the model takes images of " + channels + " channels; advtrain reads "
                    + "image folders as grey (1) or RGB (3)");
        }
        boolean isDefault = dir.toAbsolutePath().normalize().equals(defaultDir.toAbsolutePath().normalize());
        return isDefault ? TestSet.loadOrFetchMnist(dir, channels, height, width)
                : TestSet.load(dir, channels, height, width);
    }

    /**
     * How the outputs name the classes of {@code test}: by the names saved with {@code modelFile} when
     * there is one per class, else by number. Names that differ from the data's are logged.
     */
    static ClassNames classNames(Path modelFile, TestSet test) {
        List<String> saved = ModelFiles.classNames(modelFile);
        ClassNames names = ClassNames.of(saved, test.images().numClasses());
        if (!saved.isEmpty() && !names.named()) {
            LOG.warn("{} names {} classes, the data has {}: classes are shown by number", modelFile, saved.size(),
                    test.images().numClasses());
        } else if (names.named() && !saved.equals(test.classNames())) {
            LOG.warn("{} names its classes {} but the {} data names them {}; the model's names are shown", modelFile,
                    saved, test.kind(), test.classNames());
        }
        return names;
    }
}
