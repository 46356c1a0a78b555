package dev.advtrain.attacks.transform;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * JPEG compression as a defence (Dziugaite, Ghahramani and Roy 2016; Guo, Rana, Cisse and van der
 * Maaten, "Countering Adversarial Images using Input Transformations", ICLR 2018): each image is
 * encoded with the JDK's JPEG writer ({@code javax.imageio}) at the given quality and decoded
 * again. Deterministic.
 *
 * <p>Values are taken to lie in [0, 1]: they are clipped to it and rounded to 8 bits before
 * encoding, and the output is the decoded byte over 255, so every output value is a multiple of
 * 1/255. Three-channel images are encoded as one RGB image (channels in the order R, G, B), with
 * the writer's default for colour, as in libjpeg: the chroma at half resolution each way (4:2:0),
 * so fine colour detail is lost even at quality 100. Any other number of channels is encoded as
 * one greyscale image per channel. Everything happens in memory; no file is written.
 *
 * <p>The 8-bit rounding makes the transform piecewise constant, so its derivative is zero almost
 * everywhere, and backward returns zeros: a naive gradient attack through it sees nothing.
 * {@link BackwardPassDifferentiableApproximation} (with the identity) is the standard way through.
 *
 * <pre>{@code
 * InputTransform jpeg = new JpegCompression(75);
 * }</pre>
 */
public final class JpegCompression implements InputTransform {

    private final int quality;
    private final ImageShape shape;

    /** JPEG at {@code quality}, image shape from the batch. */
    public JpegCompression(int quality) {
        this(quality, null);
    }

    /**
     * @param quality JPEG quality in 1..100 (the writer's compression quality is quality / 100)
     * @param shape the image shape, or null to infer it from each batch (see {@link ImageShape#of})
     */
    public JpegCompression(int quality, ImageShape shape) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be in 1..100, got " + quality);
        }
        this.quality = quality;
        this.shape = shape;
    }

    @Override
    public Applied apply(INDArray x, SplittableRandom rng) {
        ImageShape image = shape != null ? shape : ImageShape.of(x);
        image.check(x);
        double[] values = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int bands = image.channels() == 3 ? 3 : 1;
        int type = bands == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY;
        BufferedImage picture = new BufferedImage(image.width(), image.height(), type);
        ImageWriter writer = only(ImageIO.getImageWritersByFormatName("jpeg"));
        ImageReader reader = ImageIO.getImageReader(writer);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            // One picture of `bands` channels at a time: an RGB image, or one channel as greyscale.
            for (int base = 0; base < values.length; base += bands * image.pixels()) {
                copy(values, base, picture.getRaster(), bands, true);
                bytes.reset();
                try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                    writer.setOutput(out);
                    writer.write(null, new IIOImage(picture, null, null), param);
                }
                try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    reader.setInput(in, true, true);
                    copy(values, base, reader.read(0).getRaster(), bands, false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG round trip in memory failed", e);
        } finally {
            writer.dispose();
            reader.dispose();
        }
        INDArray output = Nd4j.create(values, x.shape(), 'c').castTo(x.dataType());
        return new Applied(output, Nd4j::zerosLike);
    }

    /**
     * Copies one picture between {@code values} (channels first from {@code base}, in [0, 1]) and
     * the raster's bands (bytes): into the raster, clipped and rounded, when {@code toRaster}, else
     * back as byte / 255.
     */
    private static void copy(double[] values, int base, WritableRaster raster, int bands, boolean toRaster) {
        int h = raster.getHeight();
        int w = raster.getWidth();
        for (int b = 0; b < bands; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int index = base + (b * h + i) * w + j;
                    if (toRaster) {
                        raster.setSample(j, i, b, (int) Math.round(Math.min(Math.max(values[index], 0.0), 1.0) * 255));
                    } else {
                        values[index] = raster.getSample(j, i, b) / 255.0;
                    }
                }
            }
        }
    }

    private static ImageWriter only(Iterator<ImageWriter> writers) {
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG writer in javax.imageio");
        }
        return writers.next();
    }

    /** JPEG quality, 1..100. */
    public int quality() {
        return quality;
    }

    @Override
    public String toString() {
        return "jpeg(" + quality + ")";
    }
}
