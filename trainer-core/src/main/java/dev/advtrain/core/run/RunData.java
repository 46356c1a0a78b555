package dev.advtrain.core.run;

import dev.advtrain.core.Seeds;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DataConfig;
import dev.advtrain.core.config.DatasetName;
import dev.advtrain.core.data.Cifar10Files;
import dev.advtrain.core.data.IdxDataset;
import dev.advtrain.core.data.ImageDataset;
import dev.advtrain.core.data.ImageFolder;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistData;
import dev.advtrain.core.data.MnistFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training, validation and test images a run's {@code data:} section asks for, with the class
 * names: validation is held out from the end of the training set.
 *
 * @param classNames one name per class, indexed by label
 */
public record RunData(LabeledImages train, LabeledImages validation, LabeledImages test, List<String> classNames) {

    /**
     * Loads (MNIST: fetches when missing) and splits the configured dataset.
     *
     * @param seed the run's seed; an image folder's train/test split derives from it
     * @throws UserErrorException if the data cannot be found or read, or the limits do not fit it
     */
    public static RunData load(DataConfig data, long seed) {
        ImageDataset dataset = dataset(data, seed);
        LabeledImages train = limit(dataset.train(), data.trainLimit());
        int validation = data.validationSize();
        if (validation >= train.size()) {
            throw new UserErrorException("data.validation_size (" + validation + ") must be smaller than the "
                    + train.size() + " training images in use");
        }
        int split = train.size() - validation;
        return new RunData(train.first(split), train.range(split, train.size()), limit(dataset.test(), data.testLimit()),
                dataset.classNames());
    }

    /** The dataset {@code data.dataset} names in {@code data.dir}, before limits and the validation split. */
    static ImageDataset dataset(DataConfig data, long seed) {
        Path dir = Path.of(data.dir());
        DatasetName kind = data.dataset() == DatasetName.AUTO ? detect(dir) : data.dataset();
        return switch (kind) {
            case MNIST -> ImageDataset.of(MnistData.load(dir, true));
            case IDX -> IdxDataset.load(dir);
            case CIFAR10 -> Cifar10Files.load(dir);
            case FOLDER -> ImageFolder.load(dir, data.image().height(), data.image().width(), data.image().channels(),
                    data.testFraction(), Seeds.derive(seed, "folder-split", 0));
            case AUTO -> throw new IllegalStateException("detect() never answers auto");
        };
    }

    /**
     * What kind of dataset {@code dir} holds: CIFAR-10 binary files ({@code test_batch.bin}, also in
     * {@code cifar-10-batches-bin/}), IDX files ({@code train-images-idx3-ubyte}, plain or {@code
     * .gz}), or else sub-folders of images (one per class).
     *
     * @throws UserErrorException if it is none of these
     */
    static DatasetName detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserErrorException("data directory not found: " + dir);
        }
        if (Files.isRegularFile(dir.resolve(Cifar10Files.TEST_BATCH))
                || Files.isRegularFile(dir.resolve(Cifar10Files.BATCHES_DIR).resolve(Cifar10Files.TEST_BATCH))) {
            return DatasetName.CIFAR10;
        }
        Path images = MnistFile.TRAIN_IMAGES.in(dir);
        if (Files.isRegularFile(images) || Files.isRegularFile(Path.of(images + IdxDataset.GZIP_SUFFIX))) {
            return DatasetName.IDX;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.anyMatch(Files::isDirectory)) {
                return DatasetName.FOLDER;
            }
        } catch (IOException e) {
            throw new UserErrorException("cannot list the data directory " + dir + ": " + e.getMessage(), e);
        }
        throw new UserErrorException("no dataset found in " + dir + ": expected CIFAR-10 binary files ("
                + Cifar10Files.TEST_BATCH + ", data_batch_N.bin), IDX files (" + MnistFile.TRAIN_IMAGES.fileName()
                + ", ...) or one sub-folder of images per class");
    }

    private static LabeledImages limit(LabeledImages images, int limit) {
        return limit > 0 ? images.first(Math.min(limit, images.size())) : images;
    }
}
