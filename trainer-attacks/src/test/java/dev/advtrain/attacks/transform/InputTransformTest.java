package dev.advtrain.attacks.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The transforms' outputs, and their backward functions against finite differences of the same draw. */
class InputTransformTest {

    private static final long DRAW = 17;

    /** Inputs in [0.05, 0.95], all distinct, float64 for finite differences; the same for the same shape. */
    static INDArray images(long... shape) {
        SplittableRandom rng = new SplittableRandom(3);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, shape);
        INDArray flat = x.reshape(-1);
        for (int i = 0; i < flat.length(); i++) {
            flat.putScalar(i, 0.05 + 0.9 * rng.nextDouble());
        }
        return x;
    }

    static Stream<Arguments> differentiable() {
        return Stream.of(
                Arguments.of(new GaussianNoise(0.3), new long[] {3, 36}),
                Arguments.of(new GaussianNoise(0.3, 0.0, 1.0), new long[] {3, 36}),
                Arguments.of(new RandomShift(2), new long[] {3, 1, 6, 6}),
                Arguments.of(new RandomShift(1, 0.5, null), new long[] {2, 2, 4, 5}),
                Arguments.of(new RandomShift(2), new long[] {3, 36}),
                Arguments.of(new BitDepthReduction(3), new long[] {3, 36}),
                // The values are distinct, so no window's median changes under a perturbation of 1e-6.
                Arguments.of(new MedianFilter(3), new long[] {3, 1, 6, 6}),
                Arguments.of(new MedianFilter(3), new long[] {3, 36}),
                Arguments.of(new MedianFilter(5), new long[] {2, 2, 5, 7}),
                Arguments.of(new RandomResizePad(3), new long[] {3, 1, 6, 6}),
                Arguments.of(new RandomResizePad(2, 0.5, null), new long[] {2, 2, 5, 7}),
                Arguments.of(new RandomResizePad(2), new long[] {3, 36}),
                Arguments.of(new JpegCompression(75), new long[] {3, 36}),
                Arguments.of(InputTransform.identity(), new long[] {2, 1, 6, 6}));
    }

    /**
     * For f(x) = sum(w * t(x)) with the draw fixed by the seed, backward(w) is df/dx: compared with
     * central differences in every coordinate.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("differentiable")
    void backwardIsTheVectorJacobianProductOfTheDraw(InputTransform transform, long[] shape) {
        INDArray x = images(shape);
        INDArray w = images(shape).subi(0.5).muli(3);
        INDArray vjp = transform.apply(x, new SplittableRandom(DRAW)).backward(w);
        assertArrayEquals(x.shape(), vjp.shape());
        double h = 1e-6;
        INDArray flatX = x.reshape(-1);
        INDArray flatVjp = vjp.reshape(-1);
        for (int i = 0; i < flatX.length(); i++) {
            double v = flatX.getDouble(i);
            flatX.putScalar(i, v + h);
            double up = transform.apply(x, new SplittableRandom(DRAW)).output().mul(w).sumNumber().doubleValue();
            flatX.putScalar(i, v - h);
            double down = transform.apply(x, new SplittableRandom(DRAW)).output().mul(w).sumNumber().doubleValue();
            flatX.putScalar(i, v);
            assertEquals((up - down) / (2 * h), flatVjp.getDouble(i), 1e-6, transform + " coordinate " + i);
        }
    }

    @Test
    void sameSeedSameDrawOtherSeedOtherDraw() {
        INDArray x = images(4, 1, 6, 6);
        for (InputTransform t : new InputTransform[] {new GaussianNoise(0.2), new RandomShift(2)}) {
            INDArray a = t.apply(x, new SplittableRandom(1)).output();
            assertEquals(a, t.apply(x, new SplittableRandom(1)).output(), t.toString());
            assertNotEquals(a, t.apply(x, new SplittableRandom(2)).output(), t.toString());
            assertEquals(images(4, 1, 6, 6), x, t + " modified its input");
        }
    }

    @Test
    void noiseHasTheRequestedSpreadAndClipsWhenAsked() {
        INDArray x = Nd4j.valueArrayOf(new long[] {200, 50}, 0.5, DataType.DOUBLE);
        INDArray noise = new GaussianNoise(0.2).apply(x, new SplittableRandom(4)).output().sub(x);
        assertEquals(0.0, noise.meanNumber().doubleValue(), 0.005);
        assertEquals(0.2, noise.stdNumber().doubleValue(), 0.005);
        INDArray clipped = new GaussianNoise(1.0, 0.0, 1.0).apply(x, new SplittableRandom(4)).output();
        assertTrue(clipped.minNumber().doubleValue() >= 0.0 && clipped.maxNumber().doubleValue() <= 1.0);
    }

    @Test
    void bitDepthRoundsToTheLevelsAndIsIdempotent() {
        INDArray x = images(5, 36);
        BitDepthReduction squeeze = new BitDepthReduction(2);
        INDArray q = squeeze.apply(x, null).output();
        INDArray levels = q.mul(3);
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 5, 36), levels.sub(org.nd4j.linalg.ops.transforms.Transforms.round(levels, true)));
        assertTrue(q.sub(x).amaxNumber().doubleValue() <= 0.5 / 3 + 1e-12, "rounded to a level further than half a step");
        assertEquals(q, squeeze.apply(q, null).output());
        INDArray ranged = new BitDepthReduction(1, -1.0, 1.0).apply(Nd4j.createFromArray(new double[][] {{-0.9, -0.1, 0.1, 3.0}}), null).output();
        assertEquals(Nd4j.createFromArray(new double[][] {{-1.0, -1.0, 1.0, 1.0}}), ranged);
    }

    @Test
    void shiftMovesImagesWithPaddingAndZeroShiftIsIdentity() {
        INDArray x = images(6, 1, 6, 6);
        assertEquals(x, new RandomShift(0).apply(x, new SplittableRandom(1)).output());
        INDArray shifted = new RandomShift(1, -1.0, null).apply(x, new SplittableRandom(1)).output();
        for (int n = 0; n < 6; n++) {
            // Every shifted image is the original moved by one offset in [-1, 1]^2, -1 coming in.
            boolean found = false;
            for (int dy = -1; dy <= 1 && !found; dy++) {
                for (int dx = -1; dx <= 1 && !found; dx++) {
                    found = matchesShift(x, shifted, n, dy, dx);
                }
            }
            assertTrue(found, "image " + n + " is not a shift of its original");
        }
    }

    private static boolean matchesShift(INDArray x, INDArray shifted, int n, int dy, int dx) {
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                boolean inside = i - dy >= 0 && i - dy < 6 && j - dx >= 0 && j - dx < 6;
                double expected = inside ? x.getDouble(n, 0, i - dy, j - dx) : -1.0;
                if (shifted.getDouble(n, 0, i, j) != expected) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void imageShapeIsReadFromTheBatchOrRefused() {
        assertEquals(new ImageShape(1, 6, 6), ImageShape.of(Nd4j.zeros(2, 36)));
        assertEquals(new ImageShape(3, 4, 4), ImageShape.of(Nd4j.zeros(2, 48)));
        assertEquals(new ImageShape(2, 4, 5), ImageShape.of(Nd4j.zeros(2, 2, 4, 5)));
        assertThrows(IllegalArgumentException.class, () -> ImageShape.of(Nd4j.zeros(2, 35)));
        assertThrows(IllegalArgumentException.class, () -> new RandomShift(1, 0, new ImageShape(1, 5, 5))
                .apply(Nd4j.zeros(2, 36), new SplittableRandom(1)));
    }
}
