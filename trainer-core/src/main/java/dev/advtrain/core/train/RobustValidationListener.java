package dev.advtrain.core.train;

import dev.advtrain.core.Seeds;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.Progress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * After each epoch, clean and robust accuracy on the held-out validation images, with the model in
 * inference mode: adds {@code val_clean_acc} and {@code val_robust_acc}.
 */
public final class RobustValidationListener implements TrainingListener {

    /** The metric of the validation robust accuracy. */
    public static final String ROBUST_ACCURACY = "val_robust_acc";

    private final LabeledImages validation;
    private final AttackConfig attack;
    private final long seed;
    private final Progress progress;

    public RobustValidationListener(LabeledImages validation, AttackConfig attack, long seed, Progress progress) {
        this.validation = attack.limit() > 0 ? validation.first(Math.min(attack.limit(), validation.size())) : validation;
        this.attack = attack;
        this.seed = seed;
        this.progress = progress;
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        if (validation.size() == 0) {
            return;
        }
        long started = System.nanoTime();
        RobustnessReport.AttackOutcome outcome = new RobustnessEvaluator(model.model(), progress)
                .attack(attack, validation, Seeds.derive(seed, "validation", record.epoch()));
        record.put("val_clean_acc", outcome.cleanAccuracy())
                .put(ROBUST_ACCURACY, outcome.robustAccuracy())
                .put("val_seconds", (System.nanoTime() - started) / 1e9);
    }

    /**
     * The epoch of {@code history} with the highest finite validation robust accuracy, the earliest
     * on ties; epochs whose weights a guard rolled back ({@code rolled_back}) do not count.
     */
    public static Optional<Map<String, Double>> bestEpoch(List<Map<String, Double>> history) {
        Map<String, Double> best = null;
        for (Map<String, Double> row : history) {
            Double value = row.get(ROBUST_ACCURACY);
            if (value != null && Double.isFinite(value) && !Double.valueOf(1.0).equals(row.get(EpochRecord.ROLLED_BACK))
                    && (best == null || value > best.get(ROBUST_ACCURACY))) {
                best = row;
            }
        }
        return Optional.ofNullable(best);
    }
}
