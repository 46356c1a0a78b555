package dev.advtrain.core.train;

import dev.advtrain.core.Seeds;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.train.recipe.BatchTrainer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a run's training batches are ordered, numbered and seeded, the same for every trainer (the
 * single-JVM {@link AdversarialTrainer} and the Spark trainer's driver): each epoch's data order
 * derives from {@code (seed, epoch)}, a batch's index counts batches since training began (for
 * {@code alternate} mixing and the eps warm-up), and its training attack's seed is the next draw of
 * a generator seeded with {@code (seed, epoch)}. Nothing depends on earlier epochs, so a resumed
 * epoch sees what an uninterrupted run would have.
 */
public final class EpochBatches {

    private final int epoch;
    private final int batchesPerEpoch;
    private final EpsilonSchedule schedule;
    private final SplittableRandom attackSeeds;
    private int next;

    /**
     * The numbering of epoch {@code epoch}'s batches.
     *
     * @param epoch 1-based
     * @param batchesPerEpoch batches per epoch, as the trainer counts them
     */
    public EpochBatches(long seed, int epoch, int batchesPerEpoch, EpsilonSchedule schedule) {
        this.epoch = epoch;
        this.batchesPerEpoch = batchesPerEpoch;
        this.schedule = schedule;
        this.attackSeeds = new SplittableRandom(Seeds.derive(seed, "training-attack", epoch));
    }

    /** The run's training images in batches of {@code batchSize}, each epoch shuffled as {@code (seed, epoch)} says. */
    public static ImageDataSetIterator shuffled(LabeledImages train, int batchSize, long seed) {
        return ImageDataSetIterator.builder(train).batchSize(batchSize).shuffle(Seeds.derive(seed, "data-order", 0))
                .build();
    }

    /**
     * The epoch's next batch: its index since training began, its eps after warm-up, {@code
     * stepScale} and its attack seed.
     */
    public BatchTrainer.Batch next(INDArray features, INDArray labels, double stepScale) {
        long index = (long) (epoch - 1) * batchesPerEpoch + next++;
        return new BatchTrainer.Batch(features, labels, index, schedule.at(index), stepScale, attackSeeds.nextLong());
    }
}
