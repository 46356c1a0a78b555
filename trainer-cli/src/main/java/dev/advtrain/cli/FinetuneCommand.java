package dev.advtrain.cli;

import dev.advtrain.core.BackendCheck;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.run.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code advtrain finetune}: {@code advtrain train} starting from an existing model ({@code
 * model.file}) on a data directory whose kind is detected ({@code data.dataset: auto}); the
 * config's {@code finetune:} section says what is frozen and replaced.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Adversarially fine-tune an existing model (DL4J zip or Keras .h5) on your data and write",
                "runs/<name>/ like train. The config's finetune: section freezes layers, replaces the output",
                "layer and sets the fine-tuning rate; any recipe trains on top."})
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model to start from: a DL4J zip or a Keras .h5 (sets model.file).")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "Images in one sub-folder per class, CIFAR-10 binary files or IDX files; the kind is detected (sets data.dir, data.dataset auto).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "Run configuration (YAML); default " + TrainCommand.DEFAULT_CONFIG + ".")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set finetune.freeze=2 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackendCheck.requireSupported();
        List<String> all = new ArrayList<>();
        all.add("model.file=" + model);
        if (data != null) {
            all.add("data.dir=" + data);
            all.add("data.dataset=auto");
        }
        if (overrides.stream().noneMatch(o -> o.startsWith("name="))) {
            all.add("name=" + runName(model));
        }
        all.addAll(overrides); // the user's --set come last and win
        TrainingRun run = TrainingRun.start(ConfigLoader.load(config != null ? config : TrainCommand.defaultConfig(), all));
        long started = System.nanoTime();
        TrainingRun.Result result = run.execute(TerminalProgress.forConsole());
        Summary.printTraining(spec.commandLine().getOut(), result, (System.nanoTime() - started) / 1e9);
        return ExitCode.OK;
    }

    /** {@code finetune-<file name without extension>}, in the characters a run name allows. */
    static String runName(Path model) {
        String file = model.getFileName() == null ? "model" : model.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = (dot > 0 ? file.substring(0, dot) : file).replaceAll("[^A-Za-z0-9._-]", "-");
        return "finetune-" + (stem.isEmpty() ? "model" : stem);
    }
}
