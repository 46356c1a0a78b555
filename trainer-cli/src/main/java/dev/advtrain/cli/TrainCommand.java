package dev.advtrain.cli;

import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.run.TrainingRun;
import dev.advtrain.core.BackendCheck;
import dev.advtrain.core.UserErrorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code advtrain train}: a new run from a config, or {@code --resume} of a stopped one. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Adversarially train a classifier and write runs/<name>/ (config.yaml, metrics.csv,",
                "checkpoints/, model.zip, report.json, training-curves.png). Without --config: "
                        + TrainCommand.DEFAULT_CONFIG + " of the working directory or of the installation."})
final class TrainCommand implements Callable<Integer> {

    static final String DEFAULT_CONFIG = "configs/mnist-default.yaml";

    @Option(names = "--config", paramLabel = "FILE", description = "Run configuration (YAML).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set adversarial.eps=0.2 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory (overrides data.dir and ADVTRAIN_DATA_DIR).")
    Path dataDir;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a stopped run from its last checkpoint"
            + " (on Spark again when its saved config trains there).")
    Path resume;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Spark with parameter averaging, e.g."
            + " local[2] or spark://host:7077 (sets distributed.master; see docs/distributed.md).")
    String spark;

    @Spec
    CommandSpec spec;

    /**
     * {@value #DEFAULT_CONFIG} in the working directory, else in the installation the launcher
     * names with ADVTRAIN_HOME; null (the built-in defaults) if neither exists.
     */
    static Path defaultConfig() {
        Path local = Path.of(DEFAULT_CONFIG);
        if (Files.isRegularFile(local)) {
            return local;
        }
        String home = System.getenv("ADVTRAIN_HOME");
        Path installed = home == null ? null : Path.of(home).resolve(DEFAULT_CONFIG);
        return installed != null && Files.isRegularFile(installed) ? installed : null;
    }

    @Override
    public Integer call() {
        BackendCheck.requireSupported();
        TrainingRun run;
        if (resume != null) {
            if (config != null || !overrides.isEmpty() || spark != null) {
                throw new UserErrorException("--resume continues a run with its saved config; drop --config, --set and"
                        + " --spark");
            }
            run = TrainingRun.resume(resume);
        } else {
            run = TrainingRun.start(resolveConfig());
        }
        long started = System.nanoTime();
        TrainingRun.Result result = run.execute(TerminalProgress.forConsole());
        Summary.printTraining(spec.commandLine().getOut(), result, (System.nanoTime() - started) / 1e9);
        return ExitCode.OK;
    }

    private RunConfig resolveConfig() {
        Path file = config != null ? config : defaultConfig();
        List<String> all = new ArrayList<>(overrides);
        if (dataDir != null) {
            all.add("data.dir=" + dataDir);
        }
        if (spark != null) {
            all.add("distributed.master=" + spark);
        }
        return ConfigLoader.load(file, all);
    }
}
