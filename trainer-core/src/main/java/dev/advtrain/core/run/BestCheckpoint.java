package dev.advtrain.core.run;

import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.train.TrainingLoop;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.RobustValidationListener;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingListener;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Against robust overfitting (Rice et al. 2020): keeps the weights of the epoch with the best
 * validation robust accuracy as {@code model-best.zip}, records that epoch as {@code best_epoch},
 * and, with a patience, stops training after that many epochs without a better one. Ties keep the
 * earlier epoch.
 */
public final class BestCheckpoint implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(BestCheckpoint.class);

    private final RunDirectory run;
    private final TrainingLoop trainer;
    private final int patience;
    private final List<String> classNames;
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch;

    /**
     * @param history the epochs trained before a resume (their best is the one to beat)
     * @param patience epochs without improvement before stopping; 0 = never stop
     * @param classNames saved with the model, empty for none
     */
    public BestCheckpoint(RunDirectory run, TrainingLoop trainer, List<Map<String, Double>> history, int patience,
            List<String> classNames) {
        this.run = run;
        this.trainer = trainer;
        this.patience = patience;
        this.classNames = List.copyOf(classNames);
        RobustValidationListener.bestEpoch(history).ifPresent(row -> {
            best = row.get(RobustValidationListener.ROBUST_ACCURACY);
            bestEpoch = row.get("epoch").intValue();
        });
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        double value = record.get(RobustValidationListener.ROBUST_ACCURACY);
        if (Double.isFinite(value) && value > best && !record.rolledBack()) {
            best = value;
            bestEpoch = record.epoch();
            RunDirectory.writeAtomically(run.bestModel(), f -> ModelFiles.write(model.model(), f, classNames));
        }
        if (bestEpoch > 0) {
            record.put("best_epoch", bestEpoch);
        }
        if (patience > 0 && bestEpoch > 0 && record.epoch() - bestEpoch >= patience) {
            String reason = String.format("early stopping: validation robust accuracy has not beaten %.4f (epoch %d) for %d epochs",
                    best, bestEpoch, patience);
            LOG.info(reason);
            trainer.requestStop(reason);
        }
    }

    /** The epoch of {@code model-best.zip}, 0 if none was written. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Its validation robust accuracy, NaN if none. */
    public double best() {
        return bestEpoch > 0 ? best : Double.NaN;
    }
}
