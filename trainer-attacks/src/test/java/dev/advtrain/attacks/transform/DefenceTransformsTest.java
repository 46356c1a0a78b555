package dev.advtrain.attacks.transform;

import static dev.advtrain.attacks.transform.InputTransformTest.images;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The input-preprocessing defences: median smoothing, JPEG compression, and random resizing and
 * padding. Their backward functions are checked against finite differences in {@link InputTransformTest}.
 */
class DefenceTransformsTest {

    static Stream<Arguments> defencesOnBatches() {
        InputTransform[] defences = {new MedianFilter(3), new JpegCompression(75), new RandomResizePad(3)};
        long[][] shapes = {{3, 1, 6, 6}, {3, 36}, {2, 3, 8, 8}, {2, 2, 5, 7}};
        Stream.Builder<Arguments> cases = Stream.builder();
        for (InputTransform defence : defences) {
            for (long[] shape : shapes) {
                for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                    cases.add(Arguments.of(defence, shape, type));
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource("defencesOnBatches")
    void keepShapeTypeAndRangeAndLeaveTheInputAlone(InputTransform defence, long[] shape, DataType type) {
        INDArray x = images(shape).castTo(type);
        INDArray copy = x.dup();
        InputTransform.Applied applied = defence.apply(x, new SplittableRandom(5));
        INDArray output = applied.output();
        assertArrayEquals(x.shape(), output.shape());
        assertEquals(type, output.dataType());
        assertTrue(output.minNumber().doubleValue() >= 0.0 && output.maxNumber().doubleValue() <= 1.0,
                defence + " left [0, 1]: " + output.minNumber() + ".." + output.maxNumber());
        assertEquals(copy, x, defence + " modified its input");
        INDArray back = applied.backward(Nd4j.onesLike(output));
        assertArrayEquals(x.shape(), back.shape());
        assertEquals(type, back.dataType());
        assertEquals(output, defence.apply(x, new SplittableRandom(5)).output(), defence + " is not reproducible for a seed");
    }

    @Test
    void medianFilterAndJpegIgnoreTheRandomSourceAndRandomResizePadDrawsFromIt() {
        INDArray x = images(8, 1, 6, 6);
        for (InputTransform deterministic : new InputTransform[] {new MedianFilter(3), new JpegCompression(50)}) {
            assertEquals(deterministic.apply(x, new SplittableRandom(1)).output(), deterministic.apply(x, null).output());
        }
        RandomResizePad resizePad = new RandomResizePad(2);
        assertNotEquals(resizePad.apply(x, new SplittableRandom(1)).output(), resizePad.apply(x, new SplittableRandom(2)).output());
    }

    @Test
    void medianFilterRemovesASaltPixelAndKeepsAConstantImage() {
        INDArray constant = Nd4j.valueArrayOf(new long[] {1, 1, 6, 6}, 0.2, DataType.DOUBLE);
        assertSameValues(constant, new MedianFilter(3).apply(constant, null).output());
        INDArray salted = constant.dup();
        salted.putScalar(new long[] {0, 0, 2, 3}, 1.0);
        salted.putScalar(new long[] {0, 0, 0, 0}, 1.0);  // in a corner too, where padding fills the window
        assertSameValues(constant, new MedianFilter(3).apply(salted, null).output());
    }

    @Test
    void sizeOneMedianIsTheIdentity() {
        INDArray x = images(3, 2, 5, 7);
        InputTransform.Applied applied = new MedianFilter(1).apply(x, null);
        assertSameValues(x, applied.output());
        INDArray g = images(3, 2, 5, 7).subi(0.5);
        assertSameValues(g, applied.backward(g));
    }

    /**
     * On 1..9 in a 3x3 grid, by hand: replicate padding repeats the edge pixels (zero padding would
     * give 0 in the corners, 1 or 2 at the edges), and each output's gradient goes to the pixel that
     * was its median, so backward of ones counts how often each pixel was chosen.
     */
    @Test
    void medianFilterPadsByReplicatingTheEdgeAndRoutesTheGradientToTheMedianPixel() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}).reshape(1, 1, 3, 3);
        InputTransform.Applied applied = new MedianFilter(3).apply(x, null);
        assertEquals(Nd4j.createFromArray(new double[][] {{2, 3, 3}, {4, 5, 6}, {7, 7, 8}}).reshape(1, 1, 3, 3), applied.output());
        assertEquals(Nd4j.createFromArray(new double[][] {{0, 1, 2}, {1, 1, 1}, {2, 1, 0}}).reshape(1, 1, 3, 3),
                applied.backward(Nd4j.onesLike(x)));
    }

    /** Same shape and bit for bit the same values (INDArray.equals allows a difference of 1e-5). */
    private static void assertSameValues(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.reshape(-1).toDoubleVector(), actual.reshape(-1).toDoubleVector());
    }

    private static double meanAbsoluteError(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).meanNumber().doubleValue();
    }

    /**
     * On uniform noise in [0.05, 0.95] (hard for JPEG), 20 28x28 images: quality 95 measured a mean
     * absolute error of 0.0062 (largest 0.033), quality 10 one of 0.157.
     */
    @Test
    void jpegAtHighQualityStaysCloseAndAtLowQualityDoesNot() {
        INDArray x = images(20, 1, 28, 28);
        INDArray high = new JpegCompression(95).apply(x, null).output();
        INDArray low = new JpegCompression(10).apply(x, null).output();
        double highError = meanAbsoluteError(x, high);
        double lowError = meanAbsoluteError(x, low);
        assertTrue(highError < 0.01, "quality 95 mean absolute error " + highError);
        assertTrue(Transforms.abs(x.sub(high)).maxNumber().doubleValue() < 0.05, "quality 95 moved a value by 0.05 or more");
        assertTrue(lowError > 10 * highError, "quality 10 error " + lowError + " against quality 95 error " + highError);
    }

    @Test
    void jpegGivesMultiplesOfOneOver255AndAZeroGradient() {
        INDArray x = images(4, 3, 8, 8).subi(0.5).muli(1.4);  // some values outside [0, 1], clipped
        InputTransform.Applied applied = new JpegCompression(60).apply(x, null);
        INDArray levels = applied.output().mul(255);
        assertEquals(0.0, levels.sub(Transforms.round(levels, true)).amaxNumber().doubleValue(), 1e-9);
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 4, 3, 8, 8), applied.backward(Nd4j.onesLike(x)));
    }

    /**
     * Images of one colour each, the three channels apart: RGB encoding keeps them (a mixed-up
     * channel order would be off by 0.4), and so does per-channel greyscale for two channels.
     */
    @Test
    void jpegKeepsEachChannelsColour() {
        for (int channels : new int[] {3, 2}) {
            INDArray x = Nd4j.zeros(DataType.DOUBLE, 3, channels, 16, 16);
            for (int n = 0; n < 3; n++) {
                for (int c = 0; c < channels; c++) {
                    x.get(point(n), point(c)).assign(0.1 + 0.4 * ((n + c) % 3));
                }
            }
            double error = meanAbsoluteError(x, new JpegCompression(95).apply(x, null).output());
            assertTrue(error < 0.01, channels + " channels: mean absolute error " + error);
        }
    }

    @Test
    void resizePadWithMinSizeTheHeightIsTheIdentity() {
        for (long[] shape : new long[][] {{3, 1, 6, 6}, {3, 36}, {2, 2, 5, 7}}) {
            INDArray x = images(shape);
            int height = ImageShape.of(x).height();
            InputTransform.Applied applied = new RandomResizePad(height, -1.0, null).apply(x, new SplittableRandom(4));
            assertSameValues(x, applied.output());
            INDArray g = images(shape).subi(0.5);
            assertSameValues(g, applied.backward(g));
        }
    }

    /**
     * Each image becomes an rh x rw rectangle, rh in [minSize, H] and rw keeping the aspect ratio,
     * somewhere on a canvas of the fill; smaller draws leave the fill at the border.
     */
    @Test
    void resizePadPutsAShrunkImageOnACanvasOfTheFill() {
        for (long[] shape : new long[][] {{40, 1, 8, 8}, {40, 2, 6, 9}}) {
            INDArray out = new RandomResizePad(3, -1.0, null).apply(images(shape), new SplittableRandom(8)).output();
            int h = (int) shape[2];
            int w = (int) shape[3];
            int shrunk = 0;
            for (int n = 0; n < shape[0]; n++) {
                INDArray inside = out.slice(n).slice(0).gt(-1.0).castTo(DataType.DOUBLE);
                long rh = inside.sum(1).gt(0).castTo(DataType.DOUBLE).sumNumber().longValue();
                long rw = inside.sum(0).gt(0).castTo(DataType.DOUBLE).sumNumber().longValue();
                assertTrue(rh >= 3 && rh <= h, "height " + rh);
                assertEquals(Math.round((double) rh * w / h), rw, "width of a height " + rh);
                assertEquals(rh * rw, inside.sumNumber().longValue(), "image " + n + " is not one rectangle");
                for (int c = 1; c < shape[1]; c++) {
                    assertEquals(inside, out.slice(n).slice(c).gt(-1.0).castTo(DataType.DOUBLE), "channel " + c + " of image " + n + " placed apart");
                }
                shrunk += rh < h ? 1 : 0;
            }
            assertTrue(shrunk > 0, "no draw shrank an image");
        }
    }

    /** Half-pixel bilinear 4 -> 2 samples the middle of each 2x2 block: the block's mean. */
    @Test
    void resizePadShrinksBilinearlyWithHalfPixelCentres() {
        INDArray x = images(30, 1, 4, 4);
        INDArray out = new RandomResizePad(2, -1.0, null).apply(x, new SplittableRandom(2)).output();
        int halved = 0;
        for (int n = 0; n < 30; n++) {
            INDArray image = out.slice(n).slice(0);
            if (image.gt(-1.0).castTo(DataType.DOUBLE).sumNumber().intValue() != 4) {
                continue;
            }
            halved++;
            int first = image.reshape(-1).gt(-1.0).castTo(DataType.DOUBLE).argMax().getInt(0);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    INDArray block = x.get(point(n), point(0), interval(2 * i, 2 * i + 2), interval(2 * j, 2 * j + 2));
                    assertEquals(block.meanNumber().doubleValue(), image.getDouble(first / 4 + i, first % 4 + j), 1e-12, "image " + n);
                }
            }
        }
        assertTrue(halved > 0, "no draw of size 2");
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertMessage("size must be odd and >= 1, got 0", () -> new MedianFilter(0));
        assertMessage("size must be odd and >= 1, got 2", () -> new MedianFilter(2));
        assertMessage("quality must be in 1..100, got 0", () -> new JpegCompression(0));
        assertMessage("quality must be in 1..100, got 101", () -> new JpegCompression(101));
        assertMessage("minSize must be >= 1, got 0", () -> new RandomResizePad(0));
        assertMessage("minSize must be at most the image height 6, got 7", () -> new RandomResizePad(7, 0.0, new ImageShape(1, 6, 6)));
        assertMessage("minSize must be at most the image height 6, got 7",
                () -> new RandomResizePad(7).apply(images(2, 36), new SplittableRandom(1)));
        assertMessage("examples of 36 values are not 1x5x5 images",
                () -> new MedianFilter(3, new ImageShape(1, 5, 5)).apply(images(2, 36), null));
        assertThrows(IllegalArgumentException.class, () -> new JpegCompression(75).apply(images(2, 35), null));
    }

    private static void assertMessage(String message, Executable refused) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, refused).getMessage());
    }
}
