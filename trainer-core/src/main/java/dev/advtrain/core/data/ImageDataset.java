package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DatasetName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A labelled image dataset split into training and test examples, with the name of every class:
 * what every dataset reader returns ({@link ImageFolder}, {@link Cifar10Files}, {@link IdxDataset}).
 *
 * <p>Both splits have the same image shape and class count, and {@code classNames.get(k)} names
 * label {@code k}. {@link #split} turns one labelled set into such a pair, stratified and seeded;
 * {@link #detect} tells which reader a directory needs.
 *
 * @param train      the training examples (the caller may hold out validation from its end)
 * @param test       the test examples
 * @param classNames one name per class, indexed by label
 */
public record ImageDataset(LabeledImages train, LabeledImages test, List<String> classNames) {

    /** Mixed into the seed so that the split is unrelated to the epoch orders drawn from the same seed. */
    private static final long SPLIT_SALT = 0x5EED_5E1E_C7ED_1E57L;

    /** Checks that the splits agree in shape and class count, and that there is one name per class. */
    public ImageDataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        classNames = List.copyOf(classNames);
        if (train.channels() != test.channels() || train.height() != test.height()
                || train.width() != test.width() || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train " + train + " and test " + test + " disagree in shape or classes");
        }
        if (classNames.size() != train.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names " + classNames + " for "
                    + train.numClasses() + " classes");
        }
    }

    /** Returns MNIST with the class names "0".."9". */
    public static ImageDataset of(MnistData mnist) {
        return new ImageDataset(mnist.train(), mnist.test(), numberedClasses(mnist.train().numClasses()));
    }

    /** Returns the class names "0", "1", ... "{@code count - 1}". */
    public static List<String> numberedClasses(int count) {
        List<String> names = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }

    /**
     * What kind of dataset {@code dir} holds: CIFAR-10 binary files ({@code test_batch.bin}, also in
     * {@code cifar-10-batches-bin/}), IDX files ({@code train-images-idx3-ubyte} or {@code
     * t10k-images-idx3-ubyte}, plain or {@code .gz}), or else sub-folders of images (one per class). Never {@link DatasetName#MNIST} (MNIST's
     * files are IDX files) nor {@link DatasetName#AUTO}.
     *
     * @throws UserErrorException if the directory is missing or holds none of these
     */
    public static DatasetName detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserErrorException("data directory not found: " + dir);
        }
        return recognise(dir).orElseThrow(() -> new UserErrorException("no dataset found in " + dir
                + ": expected CIFAR-10 binary files (" + Cifar10Files.TEST_BATCH + ", data_batch_N.bin), IDX files ("
                + MnistFile.TRAIN_IMAGES.fileName() + ", ...) or one sub-folder of images per class"));
    }

    /** As {@link #detect}, but empty when {@code dir} is missing or holds no dataset. */
    static Optional<DatasetName> recognise(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        if (Files.isRegularFile(dir.resolve(Cifar10Files.TEST_BATCH))
                || Files.isRegularFile(dir.resolve(Cifar10Files.BATCHES_DIR).resolve(Cifar10Files.TEST_BATCH))) {
            return Optional.of(DatasetName.CIFAR10);
        }
        for (MnistFile images : List.of(MnistFile.TRAIN_IMAGES, MnistFile.TEST_IMAGES)) {
            if (IdxDataset.present(dir, images) != null) {
                return Optional.of(DatasetName.IDX);
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(Files::isDirectory) ? Optional.of(DatasetName.FOLDER) : Optional.empty();
        } catch (IOException e) {
            throw new UserErrorException("cannot list the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Returns the number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * Splits one labelled set into training and test examples, class by class: a class of {@code n}
     * examples gives {@code round(n * testFraction)} of them to the test split, but at least one and
     * at most {@code n - 1} when {@code n >= 2}, so such a class is present in both; a class with one
     * example goes to training. Which examples go where depends only on {@code seed} and the order of
     * {@code all}. Both splits are shuffled by the seed, so a validation set held out from the end of
     * the training split is a random sample.
     *
     * @param all          the examples to split
     * @param classNames   one name per class of {@code all}
     * @param testFraction the share of each class that goes to the test split, strictly between 0 and 1
     * @param seed         the seed of the split and of the order of both splits
     * @throws IllegalArgumentException if {@code testFraction} is not strictly between 0 and 1
     */
    public static ImageDataset split(LabeledImages all, List<String> classNames, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must lie strictly between 0 and 1, got " + testFraction);
        }
        long splitSeed = seed ^ SPLIT_SALT;
        int[][] members = indicesByClass(all);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int k = 0; k < members.length; k++) {
            int n = members[k].length;
            int testCount = n < 2 ? 0 : (int) Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
            int[] order = EpochShuffle.permutation(n, splitSeed, k);
            for (int i = 0; i < n; i++) {
                (i < testCount ? test : train).add(members[k][order[i]]);
            }
        }
        int classes = members.length;
        return new ImageDataset(all.select(shuffled(train, splitSeed, classes)),
                all.select(shuffled(test, splitSeed, classes + 1)), classNames);
    }

    private static int[][] indicesByClass(LabeledImages all) {
        int[] counts = all.classCounts();
        int[][] members = new int[counts.length][];
        for (int k = 0; k < counts.length; k++) {
            members[k] = new int[counts[k]];
        }
        int[] filled = new int[counts.length];
        for (int i = 0; i < all.size(); i++) {
            int label = all.label(i);
            members[label][filled[label]++] = i;
        }
        return members;
    }

    private static int[] shuffled(List<Integer> indices, long seed, int stream) {
        int[] order = EpochShuffle.permutation(indices.size(), seed, stream);
        int[] out = new int[indices.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = indices.get(order[i]);
        }
        return out;
    }
}
