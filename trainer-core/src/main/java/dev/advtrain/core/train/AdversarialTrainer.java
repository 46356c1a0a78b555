package dev.advtrain.core.train;

import dev.advtrain.core.Seeds;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.train.recipe.BatchTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The adversarial training loop: for each batch, the recipe ({@link BatchTrainer}) crafts
 * adversarial examples against the current weights and takes its optimiser steps; the trainer
 * schedules eps, watches the loss and calls the listeners.
 *
 * <p>Everything else is a {@link TrainingListener}. Randomness is derived from the seed and the
 * epoch (data order, dropout, random starts), so an epoch trained after a resume is the epoch an
 * uninterrupted run would have trained. A listener may {@link #requestStop stop} the run: the
 * current batch finishes, the epoch's listeners run, and training ends.
 *
 * <p>Per-epoch training metrics: {@code train_loss} is the mean optimisation loss of the batches;
 * {@code clean_*} and {@code adv_*} are measured in inference mode, before the batch's first
 * update, on up to {@value #METRIC_SAMPLE} clean and {@value #METRIC_SAMPLE} adversarial examples
 * of every {@value #METRIC_EVERY}th batch (a sample: an inference call on 32 rows costs about a
 * quarter of a training step on 128, so sampling every batch cost 10-20% of an epoch).
 */
public final class AdversarialTrainer extends TrainingLoop {

    static final int METRIC_SAMPLE = 32;
    static final int METRIC_EVERY = 4;

    private final BatchTrainer recipe;
    private final ImageDataSetIterator data;
    private final long seed;

    /**
     * @param data shuffled training batches; the trainer sets its epoch
     * @param eps the training attack's eps, the target of the warm-up
     * @param epsWarmupEpochs eps grows linearly from 0 over this many epochs
     */
    public AdversarialTrainer(Trainable model, BatchTrainer recipe, ImageDataSetIterator data, double eps,
            double epsWarmupEpochs, long seed) {
        super(model, eps, epsWarmupEpochs);
        this.recipe = recipe;
        this.data = data;
        this.seed = seed;
    }

    @Override
    public AdversarialTrainer addListener(TrainingListener listener) {
        super.addListener(listener);
        return this;
    }

    @Override
    protected int batchesPerEpoch() {
        return data.batchesPerEpoch();
    }

    @Override
    protected EpochRecord trainEpoch(int epoch, int batchesPerEpoch, EpsilonSchedule schedule) {
        long started = System.nanoTime();
        model().setEpochCount(epoch - 1);
        data.setEpoch(epoch - 1);
        Nd4j.getRandom().setSeed(Seeds.derive(seed, "dropout", epoch));
        EpochBatches numbering = new EpochBatches(seed, epoch, batchesPerEpoch, schedule);
        Accumulator clean = new Accumulator();
        Accumulator adversarial = new Accumulator();
        double lossSum = 0;
        int batch = 0;
        double batchEps = 0;
        int[] adversarialRows = new int[1];
        try {
            while (data.hasNext() && stopReason() == null) {
                DataSet ds = data.next();
                BatchTrainer.Batch work = numbering.next(ds.getFeatures(), ds.getLabels(), stepScale());
                batchEps = work.eps();
                boolean sampled = batch % METRIC_EVERY == 0;
                double loss = recipe.train(work, (x, y, xAdv, yAdv) -> {
                    adversarialRows[0] = xAdv == null ? 0 : (int) xAdv.size(0);
                    if (sampled) {
                        clean.sample(x, y);
                        adversarial.sample(xAdv, yAdv);
                    }
                });
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, batch, loss);
                }
                lossSum += loss;
                TrainingListener.BatchEvent event = new TrainingListener.BatchEvent(epoch, batch, batchesPerEpoch,
                        model().iterationCount(), batchEps, adversarialRows[0], loss);
                batchEnded(event);
                batch++;
            }
        } finally {
            data.reset();
        }
        double learningRate = model().learningRate(); // the rate this epoch ended with
        model().setEpochCount(epoch);
        return new EpochRecord(epoch)
                .put("iterations", model().iterationCount())
                .put("eps", batchEps)
                .put("learning_rate", learningRate)
                .put("train_loss", lossSum / Math.max(1, batch))
                .put("clean_loss", clean.loss())
                .put("clean_acc", clean.accuracy())
                .put("adv_loss", adversarial.loss())
                .put("adv_acc", adversarial.accuracy())
                .put("seconds", (System.nanoTime() - started) / 1e9);
    }

    /** Loss and accuracy over sampled rows, measured in inference mode. */
    private final class Accumulator {
        private double loss;
        private int correct;
        private int count;

        void sample(INDArray features, INDArray labels) {
            int end = features == null ? 0 : (int) Math.min(features.size(0), METRIC_SAMPLE);
            if (end == 0) {
                return;
            }
            INDArray rows = features.get(NDArrayIndex.interval(0, end), NDArrayIndex.all());
            INDArray truth = labels.get(NDArrayIndex.interval(0, end), NDArrayIndex.all());
            INDArray p = model().output(rows);
            loss -= Transforms.log(Transforms.max(p.mul(truth).sum(1), 1e-12, false), false).sumNumber().doubleValue();
            INDArray hit = Nd4j.argMax(p, 1).eq(Nd4j.argMax(truth, 1));
            correct += hit.castTo(DataType.INT).sumNumber().intValue();
            count += end;
        }

        double loss() {
            return count == 0 ? Double.NaN : loss / count;
        }

        double accuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }
    }
}
