package dev.advtrain.core.train;

import dev.advtrain.core.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shows each epoch's progress and logs one summary line per epoch. */
public final class ProgressListener implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);

    private final Progress progress;
    private int epochs;
    private Progress.Task task;

    public ProgressListener(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void onTrainingStart(Trainable model, int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onBatchEnd(BatchEvent event) {
        if (task == null) {
            task = progress.start("epoch " + event.epoch() + "/" + epochs, event.batchesPerEpoch());
        }
        task.status(String.format("loss %.4f eps %.3f", event.loss(), event.eps())); // before step, which may print it
        task.step(1);
        if (event.batch() == event.batchesPerEpoch() - 1) {
            task.close();
            task = null;
        }
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        LOG.info(String.format("epoch %d/%d: loss %.4f, clean acc %.4f, adv acc %.4f, val clean %.4f, val robust %.4f (%.0f s)",
                record.epoch(), epochs, record.get("train_loss"), record.get("clean_acc"), record.get("adv_acc"),
                record.get("val_clean_acc"), record.get("val_robust_acc"), record.get("seconds")));
    }
}
