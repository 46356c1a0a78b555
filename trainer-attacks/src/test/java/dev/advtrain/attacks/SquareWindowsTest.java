package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.transform.ImageShape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The window updates of Square Attack against the reference implementation's definitions. */
class SquareWindowsTest {

    /**
     * {@code meta_pseudo_gaussian_pert(s)} of max-andr/square-attack (before its random transpose),
     * row-major, as numpy computes it.
     */
    private static final double[] REFERENCE_BUMP_3 = {0.13608276348795434, 0.6804138174397716, 0.13608276348795434,
        -0.12909944487358055, -0.12909944487358055, -0.12909944487358055, -0.12909944487358055, -0.6454972243679028,
        -0.12909944487358055};
    private static final double[] REFERENCE_BUMP_5 = {0.04916216460859937, 0.15977703497794796, 0.15977703497794796,
        0.15977703497794796, 0.04916216460859937, 0.04916216460859937, 0.15977703497794796, 0.6022365164553424,
        0.15977703497794796, 0.04916216460859937, -0.0455901517673034, -0.14816799324373606, -0.14816799324373606,
        -0.14816799324373606, -0.0455901517673034, -0.0455901517673034, -0.14816799324373606, -0.5584793591494667,
        -0.14816799324373606, -0.0455901517673034, -0.0455901517673034, -0.14816799324373606, -0.14816799324373606,
        -0.14816799324373606, -0.0455901517673034};

    @Test
    void bumpIsTheReferencePseudoGaussianOrItsTranspose() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int draw = 0; draw < 8; draw++) {
            assertBump(REFERENCE_BUMP_3, SquareWindows.eta(3, rng));
            assertBump(REFERENCE_BUMP_5, SquareWindows.eta(5, rng));
        }
    }

    private static void assertBump(double[] reference, double[][] bump) {
        int s = bump.length;
        double[] rows = new double[s * s];
        double[] columns = new double[s * s];
        for (int r = 0; r < s; r++) {
            for (int c = 0; c < s; c++) {
                rows[r * s + c] = bump[r][c];
                columns[c * s + r] = bump[r][c];
            }
        }
        boolean same = maxDifference(rows, reference) < 1e-12 || maxDifference(columns, reference) < 1e-12;
        assertTrue(same, "bump differs from the reference: " + Arrays.deepToString(bump));
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int j = 0; j < a.length; j++) {
            max = Math.max(max, Math.abs(a[j] - b[j]));
        }
        return max;
    }

    @Test
    void l2CandidatesKeepNormEpsAwayFromTheRangeEnds() {
        ImageShape image = new ImageShape(2, 7, 7);
        SplittableRandom rng = new SplittableRandom(2);
        double[] x = new double[image.values()];
        Arrays.fill(x, 0.5);
        double eps = 0.4;
        double[] best = SquareWindows.tiles(new double[][] {x}, image, eps, rng, 0, 1)[0];
        assertEquals(eps, distance(best, x), 1e-9);
        for (int i = 0; i < 50; i++) {
            best = SquareWindows.l2Candidate(x, best, image, 0.1, eps, rng, 0, 1);
            assertEquals(eps, distance(best, x), 1e-9);
        }
    }

    @Test
    void linfCandidatesSitOnTheCornersOfTheBoxAndChangeTheExample() {
        ImageShape image = new ImageShape(3, 6, 6);
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = new double[image.values()];
        Arrays.fill(x, 0.5);
        double eps = 0.1;
        double[] best = SquareWindows.stripes(new double[][] {x}, image, eps, rng, 0, 1)[0];
        for (int i = 0; i < 50; i++) {
            double[] candidate = SquareWindows.linfCandidate(x, best, image, 0.05, eps, rng, 0, 1);
            assertTrue(maxDifference(candidate, best) > 0, "a candidate equal to the current best wastes a query");
            for (int j = 0; j < x.length; j++) {
                assertEquals(eps, Math.abs(candidate[j] - x[j]), 1e-12);
            }
            best = candidate;
        }
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(sum);
    }
}
