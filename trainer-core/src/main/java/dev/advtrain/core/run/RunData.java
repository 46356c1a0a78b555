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
import java.nio.file.Path;
import java.util.List;

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
        DatasetName kind = data.dataset() == DatasetName.AUTO ? ImageDataset.detect(dir) : data.dataset();
        return switch (kind) {
            case MNIST -> ImageDataset.of(MnistData.load(dir, true));
            case IDX -> IdxDataset.load(dir);
            case CIFAR10 -> Cifar10Files.load(dir);
            case FOLDER -> ImageFolder.load(dir, data.image().height(), data.image().width(), data.image().channels(),
                    data.testFraction(), Seeds.derive(seed, "folder-split", 0));
            case AUTO -> throw new IllegalStateException("ImageDataset.detect never answers auto");
        };
    }

    private static LabeledImages limit(LabeledImages images, int limit) {
        return limit > 0 ? images.first(Math.min(limit, images.size())) : images;
    }
}
