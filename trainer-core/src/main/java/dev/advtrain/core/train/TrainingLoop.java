package dev.advtrain.core.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The epoch loop shared by the single-JVM {@link AdversarialTrainer} and the Spark trainer of the
 * {@code trainer-spark} module: listeners, the eps warm-up, the training attack's step scale and
 * stop requests live here; a subclass trains one epoch. Guards and checkpoints hang on this type, so
 * a run's listeners are the same for both.
 */
public abstract class TrainingLoop implements AutoCloseable {

    private final Trainable model;
    private final double eps;
    private final double epsWarmupEpochs;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private String stopReason;
    private double stepScale = 1.0;

    /**
     * @param eps the training attack's eps, the target of the warm-up
     * @param epsWarmupEpochs eps grows linearly from 0 over this many epochs
     */
    protected TrainingLoop(Trainable model, double eps, double epsWarmupEpochs) {
        this.model = model;
        this.eps = eps;
        this.epsWarmupEpochs = epsWarmupEpochs;
    }

    /** Training batches per epoch (the eps warm-up counts in them). */
    protected abstract int batchesPerEpoch();

    /**
     * Trains one epoch and returns its training metrics; the loop hands them to the listeners.
     *
     * @param epoch 1-based
     * @throws TrainingDivergedException when the loss is not finite
     */
    protected abstract EpochRecord trainEpoch(int epoch, int batchesPerEpoch, EpsilonSchedule schedule);

    /** Tells the listeners that a batch finished. */
    protected final void batchEnded(TrainingListener.BatchEvent event) {
        listeners.forEach(l -> l.onBatchEnd(event));
    }

    /** Adds a listener; called after those added before it. */
    public TrainingLoop addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The model trained (on Spark: the driver's copy, updated after every averaging round). */
    public Trainable model() {
        return model;
    }

    /** Multiplies the training attack's step size by {@code factor} from the next batch on. */
    public void scaleStepSize(double factor) {
        stepScale *= factor;
    }

    /** The factor the configured step size is multiplied by (1 until {@link #scaleStepSize}). */
    public double stepScale() {
        return stepScale;
    }

    /** Ends training after the current batch (or epoch on Spark) and the epoch's listeners; the first reason is kept. */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Why training stopped before its last epoch, or null. */
    public String stopReason() {
        return stopReason;
    }

    /**
     * Trains epochs {@code firstEpoch} to {@code epochs} (1-based, inclusive), or until a listener
     * asks to stop.
     *
     * @throws TrainingDivergedException when a loss is not finite; nothing of that epoch is handed
     *     to the listeners
     */
    public void fit(int firstEpoch, int epochs) {
        int batchesPerEpoch = batchesPerEpoch();
        EpsilonSchedule schedule = EpsilonSchedule.of(eps, epsWarmupEpochs, batchesPerEpoch);
        listeners.forEach(l -> l.onTrainingStart(model, firstEpoch, epochs, batchesPerEpoch));
        for (int epoch = firstEpoch; epoch <= epochs && stopReason == null; epoch++) {
            EpochRecord record = trainEpoch(epoch, batchesPerEpoch, schedule);
            listeners.forEach(l -> l.onEpochEnd(model, record));
        }
        listeners.forEach(l -> l.onTrainingEnd(model));
    }

    /** Releases what the loop holds (a Spark context); nothing for the single-JVM trainer. */
    @Override
    public void close() {
    }
}
