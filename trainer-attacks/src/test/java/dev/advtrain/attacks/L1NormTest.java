package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The L1 threat model: exact projection onto the ball, sparse unit steps, random starts inside the ball. */
class L1NormTest {

    private static final L1Norm L1 = L1Norm.INSTANCE;

    private static INDArray gaussian(long seed, DataType type, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        int length = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = L2Norm.gaussian(rng);
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }

    /** Projection by bisection on the shrink threshold theta: sum_i max(|v_i| - theta, 0) = eps. */
    private static double[] projectByBisection(double[] v, double eps) {
        if (Arrays.stream(v).map(Math::abs).sum() <= eps) {
            return v.clone();
        }
        double lo = 0;
        double hi = Arrays.stream(v).map(Math::abs).max().orElse(0);
        for (int it = 0; it < 200; it++) {
            double mid = (lo + hi) / 2;
            double mass = Arrays.stream(v).map(a -> Math.max(Math.abs(a) - mid, 0)).sum();
            if (mass > eps) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double theta = (lo + hi) / 2;
        return Arrays.stream(v).map(a -> Math.signum(a) * Math.max(Math.abs(a) - theta, 0)).toArray();
    }

    @Test
    void projectionMatchesBisectionAndLandsOnTheSphere() {
        for (int d : new int[] {1, 2, 3, 5, 40}) {
            INDArray v = gaussian(d, DataType.DOUBLE, 16, d).muli(2.0);
            double eps = 1.5;
            INDArray projected = L1.projectInPlace(v.dup(), eps);
            double[] norms = L1.perExampleNorm(projected);
            for (int i = 0; i < 16; i++) {
                double[] row = v.getRow(i).toDoubleVector();
                assertArrayEquals(projectByBisection(row, eps), projected.getRow(i).toDoubleVector(), 1e-9, "d " + d + " row " + i);
                double before = Arrays.stream(row).map(Math::abs).sum();
                assertEquals(Math.min(before, eps), norms[i], 1e-9);
            }
        }
    }

    @Test
    void projectionHandlesTiesAndPointsOnAxes() {
        INDArray v = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {-3, 0, 0, 0}, {2, -2, 0.5, 0}});
        INDArray projected = L1.projectInPlace(v.dup(), 2.0);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, projected.getRow(0).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {-2, 0, 0, 0}, projected.getRow(1).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {1, -1, 0, 0}, projected.getRow(2).toDoubleVector(), 1e-12);
    }

    @Test
    void projectionIsIdempotentAndLeavesPointsInsideExactlyAlone() {
        INDArray v = gaussian(7, DataType.FLOAT, 10, 36);
        v.getRow(3).muli(0.01f); // well inside the ball
        INDArray inside = v.getRow(3).dup();
        INDArray once = L1.projectInPlace(v.dup(), 2.0);
        INDArray twice = L1.projectInPlace(once.dup(), 2.0);
        assertArrayEquals(once.data().asFloat(), twice.data().asFloat(), 1e-6f);
        assertArrayEquals(inside.data().asFloat(), once.getRow(3).data().asFloat(), 0f);
        INDArray onceBefore = once.dup();
        for (double n : L1.perExampleNorm(once)) {
            assertTrue(n <= 2.0 * (1 + 1e-6), "float projection outside the ball: " + n);
        }
        assertArrayEquals(onceBefore.data().asFloat(), once.data().asFloat(), 0f, "perExampleNorm changed its argument");
        assertSame(v, L1.projectInPlace(v, Double.POSITIVE_INFINITY));
    }

    @Test
    void projectionWorksOnImageBatchesPerExample() {
        INDArray images = gaussian(3, DataType.FLOAT, 4, 3, 5, 5);
        INDArray flat = images.dup().reshape('c', 4, 75);
        INDArray projectedImages = L1.projectInPlace(images.dup(), 3.0);
        INDArray projectedFlat = L1.projectInPlace(flat, 3.0);
        assertArrayEquals(images.shape(), projectedImages.shape());
        assertArrayEquals(projectedFlat.data().asFloat(), projectedImages.dup('c').data().asFloat(), 0f);
        assertArrayEquals(L1.perExampleNorm(projectedFlat), L1.perExampleNorm(projectedImages), 1e-9);
    }

    @Test
    void sparseStepMovesTheTopPercentileByEqualAmountsWithUnitLength() {
        int d = 200;
        INDArray gradient = gaussian(11, DataType.FLOAT, 6, 2, 10, 10);
        for (double q : new double[] {0.99, 0.9, 0.5, 0.0}) {
            INDArray step = L1Norm.sparse(q).stepDirection(gradient);
            assertArrayEquals(gradient.shape(), step.shape());
            int expected = d - (int) Math.ceil(q * (d - 1) - 1e-9);
            INDArray gradientRows = gradient.reshape('c', 6, d);
            INDArray stepRows = step.reshape('c', 6, d);
            for (int i = 0; i < 6; i++) {
                double[] g = gradientRows.getRow(i).toDoubleVector();
                double[] s = stepRows.getRow(i).toDoubleVector();
                double smallestKept = Double.POSITIVE_INFINITY;
                double largestLeft = 0;
                int nonZero = 0;
                for (int j = 0; j < d; j++) {
                    if (s[j] != 0) {
                        nonZero++;
                        assertEquals(Math.signum(g[j]) / expected, s[j], 1e-7, "a kept coordinate moves by 1/k along the gradient sign");
                        smallestKept = Math.min(smallestKept, Math.abs(g[j]));
                    } else {
                        largestLeft = Math.max(largestLeft, Math.abs(g[j]));
                    }
                }
                assertEquals(expected, nonZero, "q " + q);
                assertEquals(1.0, Arrays.stream(s).map(Math::abs).sum(), 1e-6);
                assertTrue(smallestKept >= largestLeft, "a smaller gradient entry moved while a larger one stayed");
            }
        }
        assertEquals(1, countNonZero(L1.stepDirection(gaussian(1, DataType.FLOAT, 1, 36))), "1 of 36 at q = 0.99");
        assertEquals(8, countNonZero(L1.stepDirection(gaussian(1, DataType.FLOAT, 1, 784))), "8 of 784 at q = 0.99");
    }

    private static int countNonZero(INDArray a) {
        return a.neq(0).castTo(DataType.INT32).sumNumber().intValue();
    }

    @Test
    void sparseStepOnTiesAndZeroGradients() {
        INDArray gradient = Nd4j.createFromArray(new float[][] {{2, -2, 2, -2}, {0, 0, 0, 0}, {0, 0, 0, -5}});
        INDArray step = L1Norm.sparse(0.5).stepDirection(gradient);
        assertArrayEquals(new float[] {0.25f, -0.25f, 0.25f, -0.25f, 0, 0, 0, 0, 0, 0, 0, -1}, step.data().asFloat(), 1e-7f);
    }

    @Test
    void boxAwareStepSkipsCoordinatesStuckAtABound() {
        INDArray ascent = Nd4j.createFromArray(new float[][] {{5, -4, 3, 1}});
        INDArray point = Nd4j.createFromArray(new float[][] {{1, 0, 0.5f, 0.5f}});
        // the largest entry pushes past 1 and the next past 0: both are skipped, the budget goes to the third
        assertArrayEquals(new float[] {0, 0, 1, 0}, L1.stepDirection(ascent, point, 0, 1).data().asFloat(), 0f);
        // moving inward from a bound is allowed
        assertArrayEquals(new float[] {-1, 0, 0, 0}, L1.stepDirection(ascent.neg(), point, 0, 1).data().asFloat(), 0f);
    }

    @Test
    void randomStartIsUniformInsideTheBallAndSeeded() {
        INDArray like = Nd4j.zeros(DataType.FLOAT, 400, 1, 3, 3);
        INDArray start = L1.randomStart(like, 2.0, new SplittableRandom(5));
        assertArrayEquals(like.shape(), start.shape());
        double[] norms = L1.perExampleNorm(start);
        double mean = Arrays.stream(norms).average().orElse(0);
        for (double n : norms) {
            assertTrue(n > 0 && n <= 2.0 * (1 + 1e-6), "outside the ball: " + n);
        }
        // Uniform in the d-dimensional ball: the radius r/eps is Beta(d, 1), mean d / (d + 1) = 0.9.
        assertEquals(2.0 * 0.9, mean, 0.03);
        assertEquals(0.0, start.meanNumber().doubleValue(), 0.01, "signs are symmetric");
        assertArrayEquals(start.data().asFloat(), L1.randomStart(like, 2.0, new SplittableRandom(5)).data().asFloat(), 0f);
    }

    @Test
    void registeredByIdAndValidated() {
        assertSame(L1Norm.INSTANCE, Norms.of("l1"));
        assertEquals(0.99, L1Norm.INSTANCE.percentile());
        assertThrows(IllegalArgumentException.class, () -> L1Norm.sparse(1.0));
        assertThrows(IllegalArgumentException.class, () -> L1Norm.sparse(-0.1));
    }
}
