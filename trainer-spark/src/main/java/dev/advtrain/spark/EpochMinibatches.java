package dev.advtrain.spark;

import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.train.EpochBatches;
import dev.advtrain.core.train.EpsilonSchedule;
import dev.advtrain.core.train.recipe.BatchTrainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training images as one epoch's minibatches of {@code distributed.batch_per_worker} examples,
 * each tagged with its {@link BatchPlan}: the data order, eps and attack seeds derive from the run
 * seed and the epoch exactly as the local trainer's do, so with the same batch size batch {@code
 * b} of an epoch holds the same images and attack seed on Spark as in one JVM. Only whole batches
 * are used (DL4J's worker would merge a short batch with the next one and lose its plan): up to
 * {@code batch_per_worker - 1} images of each epoch's shuffle sit that epoch out.
 */
final class EpochMinibatches {

    private final ImageDataSetIterator data;
    private final int batchSize;
    private final long seed;

    EpochMinibatches(LabeledImages train, int batchSize, long seed) {
        this.data = EpochBatches.shuffled(train, batchSize, seed);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Whole minibatches per epoch. */
    int batchesPerEpoch() {
        return data.examplesPerEpoch() / batchSize;
    }

    /** Epoch {@code epoch}'s (1-based) minibatches in training order, each with its plan. */
    List<DataSet> epoch(int epoch, EpsilonSchedule schedule, double stepScale) {
        int batches = batchesPerEpoch();
        EpochBatches numbering = new EpochBatches(seed, epoch, batches, schedule);
        List<DataSet> out = new ArrayList<>(batches);
        data.setEpoch(epoch - 1);
        try {
            for (int b = 0; b < batches; b++) {
                DataSet next = data.next();
                BatchTrainer.Batch planned = numbering.next(next.getFeatures().dup(), next.getLabels().dup(), stepScale);
                DataSet batch = new DataSet(planned.features(), planned.labels());
                batch.setExampleMetaData(Collections.nCopies(batchSize, BatchPlan.of(planned)));
                out.add(batch);
            }
        } finally {
            data.reset();
        }
        return out;
    }
}
