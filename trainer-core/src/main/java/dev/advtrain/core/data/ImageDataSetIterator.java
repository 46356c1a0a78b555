package dev.advtrain.core.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Mini-batches of a {@link LabeledImages} for Deeplearning4j: features {@code [n, C*H*W]} float32 in
 * {@code [0, 1]} (the layout of {@code InputType.convolutionalFlat(H, W, C)}), labels one-hot
 * {@code [n, numClasses]} float32. Every epoch serves each example exactly once; the last batch is
 * smaller when the batch size does not divide the number of examples.
 *
 * <p><b>Order.</b> Sequential unless built with {@link Builder#shuffle(long)}; then the order of
 * epoch {@code e} is a fixed function of {@code (seed, e)} alone. The iterator starts at epoch 0;
 * {@link #reset()} moves to the next epoch once the current one has served a batch (a reset before
 * the first batch changes nothing, so DL4J's reset-when-exhausted is safe), and
 * {@link #setEpoch(int)} jumps to any epoch, which is how a resumed run reproduces its order.
 *
 * <p>Usage:
 * <pre>{@code
 * DataSetIterator train = ImageDataSetIterator.builder(mnist.train()).batchSize(128).shuffle(seed).build();
 * DataSetIterator test = ImageDataSetIterator.builder(mnist.test()).batchSize(512).limit(1000).build();
 * }</pre>
 *
 * <p>Not thread-safe; {@link #asyncSupported()} is false, so DL4J uses it on the calling thread.
 */
public final class ImageDataSetIterator implements DataSetIterator {

    @Serial
    private static final long serialVersionUID = 1L;

    private final LabeledImages data;
    private final int batchSize;
    private final boolean shuffled;
    private final long seed;
    private final List<String> labelNames;

    private int epoch;
    private int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    private ImageDataSetIterator(Builder builder) {
        this.data = builder.data.first(builder.limit);
        this.batchSize = builder.batchSize;
        this.shuffled = builder.shuffled;
        this.seed = builder.seed;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) {
            names.add(Integer.toString(c));
        }
        this.labelNames = List.copyOf(names);
        setEpoch(0);
    }

    /** Starts a builder over {@code data}: batch size 128, sequential order, no limit. */
    public static Builder builder(LabeledImages data) {
        return new Builder(data);
    }

    /** Returns the epoch whose order is being served, starting at 0. */
    public int epoch() {
        return epoch;
    }

    /**
     * Restarts at the beginning of epoch {@code epoch}, in that epoch's order.
     *
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
        this.order = shuffled ? EpochShuffle.permutation(data.size(), seed, epoch) : null;
        this.cursor = 0;
    }

    /** Returns the number of examples one epoch serves (after the limit). */
    public int examplesPerEpoch() {
        return data.size();
    }

    /** Returns the number of batches one epoch serves, the last one possibly partial. */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return cursor < data.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    /** Returns the next {@code min(num, remaining)} examples of this epoch. */
    @Override
    public DataSet next(int num) {
        if (num < 1) {
            throw new IllegalArgumentException("num must be >= 1, got " + num);
        }
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is exhausted; call reset() for the next");
        }
        int n = Math.min(num, data.size() - cursor);
        int perExample = data.pixelsPerExample();
        int classes = data.numClasses();
        float[] features = new float[n * perExample];
        float[] labels = new float[n * classes];
        for (int k = 0; k < n; k++) {
            int example = order == null ? cursor + k : order[cursor + k];
            data.copyPixels(example, features, k * perExample);
            labels[k * classes + data.label(example)] = 1f;
        }
        cursor += n;
        DataSet batch = new DataSet(
                Nd4j.create(features, new long[] {n, perExample}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {n, classes}, DataType.FLOAT));
        batch.setLabelNames(labelNames);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** Returns {@code C*H*W}, the length of one flattened example. */
    @Override
    public int inputColumns() {
        return data.pixelsPerExample();
    }

    /** Returns the number of classes. */
    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Moves to the start of the next epoch, unless the current one has not served a batch yet. */
    @Override
    public void reset() {
        if (cursor > 0) {
            setEpoch(epoch + 1);
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** Returns the class names {@code "0"} to {@code "numClasses-1"}. */
    @Override
    public List<String> getLabels() {
        return labelNames;
    }

    @Override
    public String toString() {
        return "ImageDataSetIterator[" + data + ", batch " + batchSize
                + (shuffled ? ", shuffled with seed " + seed : ", sequential") + ", epoch " + epoch + "]";
    }

    /** Configures an {@link ImageDataSetIterator}. */
    public static final class Builder {

        private final LabeledImages data;
        private int batchSize = 128;
        private boolean shuffled;
        private long seed;
        private int limit = Integer.MAX_VALUE;

        private Builder(LabeledImages data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        /** Sets the number of examples per batch (default 128). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffles every epoch, in an order that is a fixed function of {@code (seed, epoch)}. */
        public Builder shuffle(long seed) {
            this.shuffled = true;
            this.seed = seed;
            return this;
        }

        /** Uses only the first {@code limit} examples of the data (the same ones every epoch). */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Builds the iterator, positioned at the start of epoch 0. */
        public ImageDataSetIterator build() {
            return new ImageDataSetIterator(this);
        }
    }
}
