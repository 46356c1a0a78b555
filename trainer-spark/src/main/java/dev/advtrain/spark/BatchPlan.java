package dev.advtrain.spark;

import dev.advtrain.core.train.recipe.BatchTrainer;
import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a worker needs to know about a minibatch to attack it as the local trainer would: its index
 * since the start of training (for {@code alternate} mixing), its eps after warm-up, the step scale
 * a guard may have set, and the seed of its random starts. The driver attaches it to the minibatch
 * as example metadata, which travels with the batch to the worker.
 */
record BatchPlan(long index, double eps, double stepScale, long seed) implements Serializable {

    /** The plan the driver attached to a minibatch (every example carries the same one). */
    static BatchPlan of(List<? extends Serializable> exampleMetaData) {
        if (exampleMetaData == null || exampleMetaData.isEmpty() || !(exampleMetaData.get(0) instanceof BatchPlan plan)) {
            throw new IllegalStateException("a minibatch reached the worker without its batch plan: Spark merged or"
                    + " split minibatches (each RDD element must hold exactly distributed.batch_per_worker examples)");
        }
        return plan;
    }

    /** The plan of a batch numbered by {@link dev.advtrain.core.train.EpochBatches}. */
    static BatchPlan of(BatchTrainer.Batch batch) {
        return new BatchPlan(batch.index(), batch.eps(), batch.stepScale(), batch.seed());
    }

    /** The batch of the recipes' shared code. */
    BatchTrainer.Batch batch(INDArray features, INDArray labels) {
        return new BatchTrainer.Batch(features, labels, index, eps, stepScale, seed);
    }
}
