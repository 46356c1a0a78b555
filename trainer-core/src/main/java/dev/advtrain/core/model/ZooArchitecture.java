package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The DL4J zoo architectures advtrain can build from scratch, by their config name, with the
 * smallest square input each accepts. Measured: below it a convolution or pooling window without
 * same-padding is larger than its input (DL4J then either fails or silently pools a smaller map);
 * lenet, simple-cnn and darknet19 pad every window and run at any size.
 */
public enum ZooArchitecture {

    /** LeNet-5 style: conv 5x5x20, max-pool, conv 5x5x50, max-pool, dense 500 (same padding). */
    LENET("lenet", 1),
    /** Five conv/batch-norm blocks with average pooling and dropout; global average pooling head. */
    SIMPLE_CNN("simple-cnn", 1),
    /** AlexNet (Krizhevsky et al. 2012): 11x11 stride-4 stem, five convs, two dense 4096. */
    ALEXNET("alexnet", 59),
    /** VGG-16 (Simonyan and Zisserman 2014): 13 convs 3x3 in five pooled blocks, two dense 4096. */
    VGG16("vgg16", 32),
    /** ResNet-50 (He et al. 2015) with batch normalisation; global average pooling head. */
    RESNET50("resnet50", 5),
    /** Darknet-19 (Redmon and Farhadi 2016), batch-normalised, leaky ReLU; global average pooling head. */
    DARKNET19("darknet19", 1),
    /** SqueezeNet 1.1 (Iandola et al. 2016): fire modules; global average pooling head. */
    SQUEEZENET("squeezenet", 31);

    private final String configName;
    private final int minSize;

    ZooArchitecture(String configName, int minSize) {
        this.configName = configName;
        this.minSize = minSize;
    }

    /** The name used in configs, e.g. {@code resnet50}. */
    public String configName() {
        return configName;
    }

    /** The smallest input height and width this architecture accepts. */
    public int minSize() {
        return minSize;
    }

    /**
     * The architecture with this config name (case-insensitive).
     *
     * @throws UserErrorException naming the known architectures if there is none
     */
    public static ZooArchitecture byName(String name) {
        for (ZooArchitecture arch : values()) {
            if (arch.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return arch;
            }
        }
        throw new UserErrorException("unknown zoo architecture '" + name + "'; known: "
                + Arrays.stream(values()).map(ZooArchitecture::configName).collect(Collectors.joining(", ")));
    }
}
