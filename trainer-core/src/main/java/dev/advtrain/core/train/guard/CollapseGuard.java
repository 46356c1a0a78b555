package dev.advtrain.core.train.guard;

import dev.advtrain.core.config.CollapseAction;
import dev.advtrain.core.config.GuardsConfig;
import dev.advtrain.core.train.TrainingLoop;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.RobustValidationListener;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catastrophic-overfitting guard. Single-step adversarial training can suddenly lose all
 * robustness to multi-step attacks within a few batches while its training accuracy under the
 * single-step attack soars (Wong et al. 2020). The guard checks robust accuracy (after each epoch,
 * from the validation, or every N iterations with its own small PGD check); a check more than
 * {@code drop} below the best check so far is a collapse. Then, by configuration, it stops, rolls
 * back to the weights and optimiser state of the last good check, or rolls back and lowers the
 * training attack's step size. Each collapse is logged and kept as an {@link Event}; the epoch
 * record gets {@code collapses} (so far), {@code step_scale} and, on a collapse, {@code
 * rolled_back}.
 */
public final class CollapseGuard implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(CollapseGuard.class);

    private final GuardsConfig.Collapse config;
    private final TrainingLoop trainer;
    private final ToDoubleFunction<Trainable> check;
    private final List<Event> events = new ArrayList<>();
    private double best = Double.NEGATIVE_INFINITY;
    private Trainable.Snapshot lastGood;
    private boolean rolledBackThisEpoch;

    /** One collapse: where it happened, the accuracy it fell to, the best before it, and what was done. */
    public record Event(int epoch, long iteration, double robustAccuracy, double best, CollapseAction action,
            double stepScale) {
    }

    /**
     * @param check the robust accuracy of the model now, for {@code every > 0}
     * @param history the epochs trained before a resume: their best validation robust accuracy is
     *     the reference for {@code every == 0}
     */
    public CollapseGuard(GuardsConfig.Collapse config, TrainingLoop trainer, ToDoubleFunction<Trainable> check,
            List<Map<String, Double>> history) {
        if (config.action() == CollapseAction.OFF) {
            throw new IllegalArgumentException("the guard is off");
        }
        this.config = config;
        this.trainer = trainer;
        this.check = check;
        if (config.every() == 0) {
            RobustValidationListener.bestEpoch(history)
                    .ifPresent(row -> best = row.get(RobustValidationListener.ROBUST_ACCURACY));
        }
    }

    @Override
    public void onTrainingStart(Trainable model, int firstEpoch, int epochs, int batchesPerEpoch) {
        lastGood = model.snapshot();
    }

    @Override
    public void onBatchEnd(BatchEvent event) {
        if (config.every() > 0 && event.iteration() % config.every() == 0) {
            judge(check.applyAsDouble(trainer.model()), event.epoch(), event.iteration());
        }
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        if (config.every() == 0) {
            double robust = record.get(RobustValidationListener.ROBUST_ACCURACY);
            judge(Double.isFinite(robust) ? robust : check.applyAsDouble(model), record.epoch(), model.iterationCount());
        }
        record.put("collapses", events.size()).put("step_scale", trainer.stepScale());
        if (rolledBackThisEpoch) {
            record.put(EpochRecord.ROLLED_BACK, 1);
            rolledBackThisEpoch = false;
        }
    }

    private void judge(double robust, int epoch, long iteration) {
        if (!(robust < best - config.drop())) {
            best = Math.max(best, robust);
            lastGood = trainer.model().snapshot();
            return;
        }
        trainer.model().restore(lastGood);
        rolledBackThisEpoch = true;
        if (config.action() == CollapseAction.LOWER_STEP) {
            trainer.scaleStepSize(config.stepFactor());
        }
        Event event = new Event(epoch, iteration, robust, best, config.action(), trainer.stepScale());
        events.add(event);
        LOG.warn(String.format("catastrophic overfitting at epoch %d, iteration %d: robust accuracy %.4f, best %.4f;"
                + " rolled back to iteration %d%s", epoch, iteration, robust, best, lastGood.iteration(),
                config.action() == CollapseAction.LOWER_STEP
                        ? String.format(", training step now %.3f x the configured one", event.stepScale()) : ""));
        if (config.action() == CollapseAction.STOP) {
            trainer.requestStop(String.format("catastrophic overfitting at epoch %d (robust accuracy %.4f, best %.4f);"
                    + " stopped at the last good weights", epoch, robust, best));
        } else if (events.size() >= config.maxCollapses()) {
            trainer.requestStop(String.format("catastrophic overfitting %d times (guards.collapse.max_collapses);"
                    + " stopped at the last good weights", events.size()));
        }
    }

    /** The collapses so far. */
    public List<Event> events() {
        return List.copyOf(events);
    }
}
