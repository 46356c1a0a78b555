package dev.advtrain.core.train;

import dev.advtrain.core.Seeds;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.Progress;

/**
 * After each epoch, clean and robust accuracy on the held-out validation images, with the model in
 * inference mode: adds {@code val_clean_acc} and {@code val_robust_acc}.
 */
public final class RobustValidationListener implements TrainingListener {

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
                .put("val_robust_acc", outcome.robustAccuracy())
                .put("val_seconds", (System.nanoTime() - started) / 1e9);
    }
}
