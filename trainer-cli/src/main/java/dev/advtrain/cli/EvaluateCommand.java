package dev.advtrain.cli;

import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.config.AttackName;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistData;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.run.RunDirectory;
import java.io.IOException;
import dev.advtrain.core.BackendCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code advtrain evaluate}: clean and robust accuracy of a saved model on the MNIST test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved DL4J model (MultiLayerNetwork or ComputationGraph) against an attack.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model zip written by DL4J's ModelSerializer.")
    Path model;

    @Option(names = "--attack", defaultValue = "pgd", paramLabel = "NAME", converter = AttackNameConverter.class,
            description = "fgsm | fgsm-rs | pgd (default: ${DEFAULT-VALUE}).")
    AttackName attack;

    /** Attack names as in YAML ("fgsm-rs"); a bad one is a usage error naming the allowed values. */
    static final class AttackNameConverter implements ITypeConverter<AttackName> {
        @Override
        public AttackName convert(String value) {
            return AttackName.of(value);
        }
    }

    @Option(names = "--eps", defaultValue = "0.1", description = "L-inf radius in [0, 1] (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--steps", paramLabel = "K", description = "Gradient steps (default: 10 for pgd, 1 for fgsm and fgsm-rs).")
    Integer steps;

    @Option(names = "--step-size", paramLabel = "A", description = "Absolute step size (default: eps/4 for pgd, eps for fgsm, 1.25 eps for fgsm-rs).")
    Double stepSize;

    @Option(names = "--restarts", defaultValue = "1", paramLabel = "R", description = "Random restarts (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "Test images to attack, 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--clean-limit", defaultValue = "0", paramLabel = "N", description = "Test images for clean accuracy, 0 = all (default).")
    int cleanLimit;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random starts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory (default: data/mnist or ADVTRAIN_DATA_DIR).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Report file (default: report-<attack>-eps<eps>.json beside the model).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackendCheck.requireSupported();
        AttackConfig attackConfig = attackConfig();
        Path report = out != null ? out : defaultReportPath();
        if (Files.exists(report)) {
            throw new UserErrorException(report + " already exists: choose another --out");
        }
        Model network = load(model);
        LabeledImages test = mnistTest(dataDir);
        RobustnessEvaluator evaluator = new RobustnessEvaluator(network, TerminalProgress.forConsole());
        evaluator.checkCompatible(test, model.toString());
        RobustnessReport result = evaluator.evaluate(model.toString(), "mnist", test, cleanLimit, List.of(attackConfig), seed);
        RunDirectory.writeString(report, result.toJson());
        Summary.printReport(spec.commandLine().getOut(), result);
        spec.commandLine().getOut().println("report: " + report);
        return ExitCode.OK;
    }

    /** The attack options as a validated config entry (the same rules as in YAML). */
    private AttackConfig attackConfig() {
        StringBuilder yaml = new StringBuilder("evaluation:\n  attacks:\n    - {attack: ").append(attack.id())
                .append(", eps: ").append(eps).append(", restarts: ").append(restarts).append(", limit: ").append(limit);
        if (steps != null) {
            yaml.append(", steps: ").append(steps);
        }
        if (stepSize != null) {
            yaml.append(", step_size: ").append(stepSize);
        }
        yaml.append("}\n");
        try {
            return ConfigLoader.fromYaml(yaml.toString()).validate().evaluation().attacks().get(0);
        } catch (UserErrorException e) {
            throw new UserErrorException("invalid attack options: " + e.getMessage(), e);
        }
    }

    private Path defaultReportPath() {
        Path parent = model.toAbsolutePath().getParent();
        return parent.resolve(String.format("report-%s-eps%s.json", attack.id(), eps));
    }

    /** The MNIST test set from {@code dataDir}, or from the default data directory when null. */
    static LabeledImages mnistTest(Path dataDir) {
        Path dir = dataDir != null ? dataDir : Path.of(ConfigLoader.load(null, List.of()).data().dir());
        return MnistData.load(dir, true).test();
    }

    /** A saved MultiLayerNetwork or ComputationGraph; a user error if the file is missing or not a model. */
    static Model load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserErrorException("model file not found: " + file);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException notMultiLayer) {
            try {
                return ModelSerializer.restoreComputationGraph(file.toFile(), false);
            } catch (IOException | RuntimeException e) {
                throw new UserErrorException(file + ": not a DL4J model file (" + UserErrorException.firstLine(notMultiLayer) + ")", e);
            }
        }
    }

}
