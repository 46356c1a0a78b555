package dev.advtrain.attacks;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded mini-batches over a set of examples, for attacks that fit one thing to many inputs
 * (universal perturbations, patches): the indices are shuffled at the start of every pass, and
 * each batch is the next run of them (the last of a pass may be shorter).
 */
final class MiniBatches {

    private final int[] order;
    private final int batchSize;
    private final SplittableRandom rng;
    private int next;

    MiniBatches(int n, int batchSize, SplittableRandom rng) {
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.batchSize = batchSize;
        this.rng = rng;
        this.next = n;
    }

    /** Batches in one pass over the set. */
    int perPass() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** The indices of the next batch, reshuffling when a pass is complete. */
    int[] next() {
        if (next >= order.length) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            next = 0;
        }
        int[] batch = Arrays.copyOfRange(order, next, Math.min(order.length, next + batchSize));
        next += batch.length;
        return batch;
    }

    /** The given examples of {@code x} (any shape, examples along dimension 0) as a new batch. */
    static INDArray rows(INDArray x, int[] batch) {
        long[] shape = x.shape().clone();
        shape[0] = batch.length;
        return Nd4j.pullRows(x.reshape('c', x.size(0), -1), 1, batch).reshape('c', shape);
    }
}
