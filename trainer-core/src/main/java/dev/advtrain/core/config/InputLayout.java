package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.advtrain.core.model.PixelInput;

/**
 * The array a model's first layer takes ({@code model.input_layout}), for the rare model where
 * advtrain cannot read it from the network; advtrain always feeds pixels and converts.
 */
public enum InputLayout {
    /** {@code [N, C, H, W]}: DL4J convolutions. */
    NCHW(PixelInput.Layout.NCHW),
    /** {@code [N, H, W, C]}: Keras (channels_last) convolutions. */
    NHWC(PixelInput.Layout.NHWC),
    /** {@code [N, C*H*W]}, channel by channel. */
    FLAT_CHW(PixelInput.Layout.FLAT_CHW),
    /** {@code [N, H*W*C]}, pixel by pixel (a Keras Flatten of a channels_last image). */
    FLAT_HWC(PixelInput.Layout.FLAT_HWC);

    private final PixelInput.Layout layout;

    InputLayout(PixelInput.Layout layout) {
        this.layout = layout;
    }

    /** The layout the model's input step converts to. */
    public PixelInput.Layout layout() {
        return layout;
    }

    /** The YAML spelling, e.g. {@code flat-hwc}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static InputLayout of(String text) {
        return ConfigEnums.parse(InputLayout.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
