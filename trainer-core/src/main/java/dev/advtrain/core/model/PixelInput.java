package dev.advtrain.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.nn.api.MaskState;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The first step of every advtrain network: takes the pixel rows that the trainer and every attack
 * feed ({@code [N, C*H*W]}, channel-row-column order, values in {@code [0, 1]}), normalises each
 * channel with a fixed mean and standard deviation, and hands the network the array it was built
 * for ({@link Layout}).
 *
 * <p>Because the normalisation lives inside the model, attacks perturb and clip raw pixels, and an
 * eps of 0.3 means 0.3 of the pixel range whatever the model's normalisation; backpropagation through
 * this step scales the gradient by {@code 1/std}, so input gradients are those of the whole
 * pipeline. It has no parameters and serialises with the model.
 */
public final class PixelInput implements InputPreProcessor {

    /** The array a network's first layer takes. */
    public enum Layout {
        /** {@code [N, C, H, W]} (DL4J's default convolution format). */
        NCHW,
        /** {@code [N, H, W, C]} (Keras' channels_last convolutions). */
        NHWC,
        /** {@code [N, C*H*W]} in channel-row-column order (advtrain's own dense and flat-input networks). */
        FLAT_CHW,
        /** {@code [N, H*W*C]} in row-column-channel order (a Keras Flatten of a channels_last image). */
        FLAT_HWC
    }

    private static final long serialVersionUID = 1L;

    private final int channels;
    private final int height;
    private final int width;
    private final Layout layout;
    private final double[] mean;
    private final double[] std;

    /** Per-pixel mean and 1/std rows, built on first use; null without normalisation. */
    private transient INDArray meanRow;
    private transient INDArray stdRow;

    /**
     * @param layout what the network's first layer takes
     * @param mean per-channel mean subtracted from the pixels, one per channel or empty for none
     * @param std per-channel standard deviation the pixels are divided by, one per channel (each
     *     &gt; 0) or empty for none
     * @throws IllegalArgumentException if the shape is not positive or mean and std do not match the
     *     channels
     */
    @JsonCreator
    public PixelInput(@JsonProperty("channels") int channels, @JsonProperty("height") int height,
            @JsonProperty("width") int width, @JsonProperty("layout") Layout layout,
            @JsonProperty("mean") double[] mean, @JsonProperty("std") double[] std) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.mean = mean == null ? new double[0] : mean.clone();
        this.std = std == null ? new double[0] : std.clone();
        if (this.mean.length != this.std.length || (this.mean.length != 0 && this.mean.length != channels)) {
            throw new IllegalArgumentException("mean and std need one value per channel (" + channels + "), got "
                    + this.mean.length + " and " + this.std.length);
        }
        for (double s : this.std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("std values must be finite and > 0, got " + Arrays.toString(this.std));
            }
        }
    }

    /** The layout change alone, without normalisation. */
    public static PixelInput of(int channels, int height, int width, Layout layout) {
        return new PixelInput(channels, height, width, layout, null, null);
    }

    /** This step with per-channel normalisation {@code (x - mean) / std}. */
    public PixelInput normalized(double[] mean, double[] std) {
        return new PixelInput(channels, height, width, layout, mean, std);
    }

    @JsonProperty("channels")
    public int channels() {
        return channels;
    }

    @JsonProperty("height")
    public int height() {
        return height;
    }

    @JsonProperty("width")
    public int width() {
        return width;
    }

    @JsonProperty("layout")
    public Layout layout() {
        return layout;
    }

    /** The per-channel mean, empty without normalisation. */
    @JsonProperty("mean")
    public double[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviation, empty without normalisation. */
    @JsonProperty("std")
    public double[] std() {
        return std.clone();
    }

    /** Whether this step normalises. */
    @JsonIgnore
    public boolean normalizes() {
        return mean.length > 0;
    }

    /** Values per example, {@code C*H*W}. */
    @JsonIgnore
    public int pixels() {
        return channels * height * width;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 2 || input.columns() != pixels()) {
            throw new IllegalArgumentException("expected pixel rows [N, " + pixels() + "] (" + channels + "x" + height
                    + "x" + width + "), got " + Arrays.toString(input.shape()));
        }
        INDArray x = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        if (normalizes()) {
            x.subiRowVector(meanRow(x)).muliRowVector(inverseStdRow(x));
        }
        long n = x.size(0);
        return switch (layout) {
            case FLAT_CHW -> x;
            case NCHW -> x.reshape('c', n, channels, height, width);
            case NHWC -> workspaceMgr.dup(ArrayType.ACTIVATIONS, x.reshape('c', n, channels, height, width)
                    .permute(0, 2, 3, 1), 'c');
            case FLAT_HWC -> workspaceMgr.dup(ArrayType.ACTIVATIONS, x.reshape('c', n, channels, height, width)
                    .permute(0, 2, 3, 1), 'c').reshape('c', n, pixels());
        };
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        long n = output.size(0);
        INDArray chw = switch (layout) {
            case FLAT_CHW, NCHW -> output.reshape('c', n, pixels());
            case NHWC -> output.reshape('c', n, height, width, channels).permute(0, 3, 1, 2);
            case FLAT_HWC -> output.reshape('c', n, height, width, channels).permute(0, 3, 1, 2);
        };
        INDArray gradient = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, chw, 'c').reshape('c', n, pixels());
        if (normalizes()) {
            gradient.muliRowVector(inverseStdRow(gradient));
        }
        return gradient;
    }

    @Override
    public PixelInput clone() {
        return new PixelInput(channels, height, width, layout, mean, std);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        long size = switch (inputType.getType()) {
            case FF -> ((InputType.InputTypeFeedForward) inputType).getSize();
            case CNNFlat -> ((InputType.InputTypeConvolutionalFlat) inputType).getFlattenedSize();
            default -> throw new IllegalStateException("expected flat pixel input, got " + inputType);
        };
        if (size != pixels()) {
            throw new IllegalStateException("expected " + pixels() + " pixels (" + channels + "x" + height + "x"
                    + width + "), got " + inputType);
        }
        return switch (layout) {
            case FLAT_CHW, FLAT_HWC -> InputType.feedForward(pixels());
            case NCHW -> InputType.convolutional(height, width, channels, CNN2DFormat.NCHW);
            case NHWC -> InputType.convolutional(height, width, channels, CNN2DFormat.NHWC);
        };
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    private INDArray meanRow(INDArray like) {
        if (meanRow == null || meanRow.dataType() != like.dataType()) {
            meanRow = perPixelRow(mean, like);
        }
        return meanRow;
    }

    private INDArray inverseStdRow(INDArray like) {
        if (stdRow == null || stdRow.dataType() != like.dataType()) {
            double[] inverse = Arrays.stream(std).map(s -> 1.0 / s).toArray();
            stdRow = perPixelRow(inverse, like);
        }
        return stdRow;
    }

    /** A row of {@code C*H*W} values, each pixel its channel's value, outside any workspace. */
    private INDArray perPixelRow(double[] perChannel, INDArray like) {
        double[] row = new double[pixels()];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            Arrays.fill(row, c * plane, (c + 1) * plane, perChannel[c]);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createFromArray(row).castTo(like.dataType()).reshape(1, pixels());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PixelInput p && p.channels == channels && p.height == height && p.width == width
                && p.layout == layout && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width, layout, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return "PixelInput[" + channels + "x" + height + "x" + width + " -> " + layout
                + (normalizes() ? ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) : "") + "]";
    }
}
