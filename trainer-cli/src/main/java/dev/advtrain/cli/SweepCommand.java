package dev.advtrain.cli;

import dev.advtrain.core.BackendCheck;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.sweep.CandidateResult;
import dev.advtrain.core.sweep.Sweep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code advtrain sweep}: a hyperparameter search over training settings, or {@code --resume} of one. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Search training settings with Arbiter (random or grid search) and write",
                "runs/<name>/: a run directory per candidate under candidates/, results.csv",
                "and results.json (best first), pareto.png (clean against robust validation",
                "accuracy) and best-config.yaml, ready for advtrain train."})
final class SweepCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "Sweep configuration (YAML), e.g. configs/sweep-mnist-tiny.yaml.")
        Path config;

        @Option(names = "--resume", paramLabel = "SWEEP_DIR", description = "Continue a stopped sweep; finished candidates are not run again.")
        Path resume;
    }

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"Override a sweep key, e.g. --set budget.minutes=90",
            "(repeatable); with --resume only budget.candidates, budget.minutes and parallel."})
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackendCheck.requireSupported();
        Sweep sweep = source.resume != null ? Sweep.resume(source.resume, overrides)
                : Sweep.start(source.config, overrides, System.getenv());
        Sweep.Outcome outcome = sweep.execute(TerminalProgress.forConsole());
        Summary.printSweep(spec.commandLine().getOut(), outcome);
        if (outcome.ranked().stream().noneMatch(r -> r.status() == CandidateResult.Status.FINISHED)) {
            String first = outcome.ranked().isEmpty() ? "no candidate ran"
                    : "candidate " + outcome.ranked().get(0).candidate() + ": " + outcome.ranked().get(0).reason();
            throw new UserErrorException("no candidate of the sweep finished (" + first + "); see " + outcome.table());
        }
        return ExitCode.OK;
    }
}
