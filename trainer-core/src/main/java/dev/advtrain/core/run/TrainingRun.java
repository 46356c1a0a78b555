package dev.advtrain.core.run;

import dev.advtrain.core.Progress;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.config.DatasetName;
import dev.advtrain.core.config.CollapseAction;
import dev.advtrain.core.train.TrainingLoop;
import dev.advtrain.core.train.ProgressListener;
import dev.advtrain.core.train.RobustValidationListener;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingDivergedException;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.WeightAverage;
import dev.advtrain.core.train.guard.CollapseGuard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run from config to report: loads the data, builds (or restores) the network,
 * trains with the configured recipe, guards and a checkpoint each epoch, then writes {@code
 * model.zip} (the last weights, or their average with {@code training.ema_decay}), {@code
 * model-best.zip} (the best validation robust accuracy),
 * {@code report.json} and {@code training-curves.png} into the run directory.
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final RunDirectory run;
    private final RunConfig config;
    private final Optional<Checkpoints.Checkpoint> checkpoint;

    private TrainingRun(RunDirectory run, RunConfig config, Optional<Checkpoints.Checkpoint> checkpoint) {
        this.run = run;
        this.config = config;
        this.checkpoint = checkpoint;
    }

    /** A new run in a new directory; the resolved config is saved there first. */
    public static TrainingRun start(RunConfig config) {
        config.validate();
        RunDirectory run = RunDirectory.create(Path.of(config.output().runsDir()), config.name());
        RunDirectory.writeString(run.config(), config.toYaml());
        return new TrainingRun(run, config, Optional.empty());
    }

    /** Continues a run from its latest checkpoint, with the config it was started with. */
    public static TrainingRun resume(Path directory) {
        RunDirectory run = RunDirectory.open(directory);
        RunConfig config = ConfigLoader.load(run.config(), List.of(), Map.of());
        return new TrainingRun(run, config, Checkpoints.latest(run));
    }

    /** The run's directory. */
    public RunDirectory directory() {
        return run;
    }

    /** The run's resolved config. */
    public RunConfig config() {
        return config;
    }

    /**
     * What a finished run measured.
     *
     * @param stopReason why training ended before its last epoch, or null
     * @param collapses the catastrophic-overfitting guard's interventions
     * @param bestEpoch the epoch saved as {@code model-best.zip}, 0 if none
     */
    public record Result(RunDirectory directory, RobustnessReport report, List<Map<String, Double>> history,
            double trainingSeconds, double evaluationSeconds, String stopReason, List<CollapseGuard.Event> collapses,
            int bestEpoch) {
    }

    /** Trains the remaining epochs and evaluates. */
    public Result execute(Progress progress) {
        RunData data = RunData.load(config.data(), config.seed());
        int firstEpoch = checkpoint.map(c -> c.epoch() + 1).orElse(1);
        List<Map<String, Double>> history = checkpoint.map(Checkpoints.Checkpoint::history).orElse(List.of());
        Trained trained;
        try (TrainingBackend backend = TrainingBackend.open(config, data.train())) {
            trained = train(backend, data, firstEpoch, history, progress);
        }
        Checkpoints checkpoints = trained.checkpoints();
        // With weight averaging, the averaged weights are the run's model.
        Trainable model = trained.average() != null ? trained.average().average() : trained.loop().model();
        if (trained.loop().stopReason() != null) {
            LOG.warn("Training stopped: {}", trained.loop().stopReason());
        }

        RunDirectory.writeAtomically(run.model(), file -> ModelFiles.write(model.model(), file, data.classNames()));
        TrainingCurves.write(checkpoints.history(), run.curves());

        long started = System.nanoTime();
        RobustnessEvaluator evaluator = new RobustnessEvaluator(model.model(), progress);
        RobustnessReport report = evaluator.evaluate(run.model().toString(), datasetName(), data.test(),
                config.evaluation().cleanLimit(), config.evaluation().attacks(), config.seed());
        RunDirectory.writeString(run.report(), report.toJson());
        return new Result(run, report, checkpoints.history(), trained.seconds(), (System.nanoTime() - started) / 1e9,
                trained.loop().stopReason(), trained.guard() == null ? List.of() : trained.guard().events(),
                trained.best().bestEpoch());
    }

    /**
     * What {@link #train} leaves behind: the loop (and its model), its guards and checkpoints, the
     * weight average (null without), the training time.
     */
    private record Trained(TrainingLoop loop, CollapseGuard guard, BestCheckpoint best, Checkpoints checkpoints,
            WeightAverage average, double seconds) {
    }

    /** Builds or restores the model, hangs the run's listeners on the backend's loop and trains. */
    private Trained train(TrainingBackend backend, RunData data, int firstEpoch, List<Map<String, Double>> history,
            Progress progress) {
        Trainable model = Trainable.of(checkpoint.map(c -> Checkpoints.restore(run, c))
                .orElseGet(() -> RunModel.create(config, data.train(), data.classNames(), backend.updatesPerEpoch())));
        if (checkpoint.isPresent()) {
            LOG.info("Resuming {} after epoch {} of {}", run.root(), checkpoint.get().epoch(), config.training().epochs());
        }
        LOG.info("Training ({}{}) on {} images, validating on {}, {} updates per epoch, {} parameters",
                config.adversarial().recipe(), config.distributed().enabled() ? " on Spark "
                + config.distributed().master() : "", data.train().size(), data.validation().size(),
                backend.updatesPerEpoch(), model.numParams());

        TrainingLoop trainer = backend.loop(model);
        // A guard may have lowered the step before a resume.
        trainer.scaleStepSize(history.isEmpty() ? 1.0 : history.get(history.size() - 1).getOrDefault("step_scale", 1.0));
        WeightAverage average = Checkpoints.average(run, checkpoint, model, config.training().emaDecay());
        // Validation and model-best.zip judge the averaged weights; the guard and checkpoints the trained ones.
        UnaryOperator<TrainingListener> judged = average == null ? l -> l : average::judged;
        if (data.validation().size() > 0) {
            trainer.addListener(judged.apply(new RobustValidationListener(data.validation(), config.validation(),
                    config.seed(), Progress.none())));
        }
        CollapseGuard guard = null;
        if (config.guards().collapse().action() != CollapseAction.OFF) {
            guard = new CollapseGuard(config.guards().collapse(), trainer, collapseCheck(data), history);
            trainer.addListener(guard);
        }
        BestCheckpoint best = new BestCheckpoint(run, trainer, history, config.guards().earlyStopping(), data.classNames());
        trainer.addListener(judged.apply(best));
        if (average != null) {
            trainer.addListener(average); // after the guard: a rollback restarts the average
        }
        Checkpoints checkpoints = new Checkpoints(run, history, average);
        trainer.addListener(checkpoints)
                .addListener(new MetricsCsv(run, history))
                .addListener(new ProgressListener(progress));

        long started = System.nanoTime();
        try {
            trainer.fit(firstEpoch, config.training().epochs());
        } catch (TrainingDivergedException e) {
            Optional<Checkpoints.Checkpoint> last = Checkpoints.latest(run);
            throw new UserErrorException(e.getMessage() + "; " + last.map(c -> "the last good checkpoint is "
                    + run.checkpoints().resolve(c.model()) + " (epoch " + c.epoch() + ")").orElse("no epoch finished")
                    + "; lower training.learning_rate (or adversarial.eps) and start a new run", e);
        }
        return new Trained(trainer, guard, best, checkpoints, average, (System.nanoTime() - started) / 1e9);
    }

    /** The dataset as the report names it: mnist, cifar10, or the data directory's name. */
    private String datasetName() {
        DatasetName kind = config.data().dataset();
        return kind == DatasetName.MNIST || kind == DatasetName.CIFAR10 ? kind.id()
                : String.valueOf(Path.of(config.data().dir()).toAbsolutePath().normalize().getFileName());
    }

    /**
     * The guard's own robust accuracy check ({@code guards.collapse.every > 0}): the validation
     * attack on the first {@code images} validation images (training images without validation).
     */
    private ToDoubleFunction<Trainable> collapseCheck(RunData data) {
        int images = config.guards().collapse().images();
        LabeledImages pool = data.validation().size() > 0 ? data.validation() : data.train();
        LabeledImages checked = pool.first(Math.min(images, pool.size()));
        long seed = Seeds.derive(config.seed(), "collapse-check", 0);
        return model -> new RobustnessEvaluator(model.model(), Progress.none())
                .attack(config.validation(), checked, seed).robustAccuracy();
    }
}
