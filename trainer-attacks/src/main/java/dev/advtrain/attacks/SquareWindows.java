package dev.advtrain.attacks;

import dev.advtrain.attacks.transform.ImageShape;
import java.util.SplittableRandom;

/**
 * The random updates of {@link SquareAttack} (Andriushchenko et al. 2020), on flat examples in
 * row-major [C, H, W] order: the initialisations and one candidate per example and iteration, after
 * the authors' reference implementation (max-andr/square-attack, {@code attack.py}).
 */
final class SquareWindows {

    /** Redraws of an L-inf window whose signs would leave the example unchanged. */
    private static final int MAX_REDRAWS = 100;
    private static final double TINY = 1e-10;

    private SquareWindows() {
    }

    /** L-inf start: vertical stripes, each column of each channel moved by +eps or -eps. */
    static double[][] stripes(double[][] clean, ImageShape image, double eps, SplittableRandom rng, double min,
            double max) {
        double[][] start = new double[clean.length][];
        for (int n = 0; n < clean.length; n++) {
            start[n] = clean[n].clone();
            for (int ch = 0; ch < image.channels(); ch++) {
                for (int col = 0; col < image.width(); col++) {
                    double step = rng.nextBoolean() ? eps : -eps;
                    for (int row = 0; row < image.height(); row++) {
                        start[n][at(image, ch, row, col)] += step;
                    }
                }
            }
            Oracle.clip(start[n], min, max);
        }
        return start;
    }

    /** L2 start: a grid of pseudo-Gaussian tiles of side H/5 with random signs, scaled to norm eps. */
    static double[][] tiles(double[][] clean, ImageShape image, double eps, SplittableRandom rng, double min,
            double max) {
        int s = Math.max(1, image.height() / 5);
        double[][] delta = new double[clean.length][clean.length == 0 ? 0 : clean[0].length];
        int firstRow = Math.max(0, (image.height() - 5 * s) / 2);
        int firstCol = Math.max(0, (image.width() - 5 * s) / 2);
        for (int top = firstRow; top + s <= image.height(); top += s) {
            for (int left = firstCol; left + s <= image.width(); left += s) {
                double[][] bump = eta(s, rng);
                for (double[] d : delta) {
                    for (int ch = 0; ch < image.channels(); ch++) {
                        addWindow(d, image, ch, top, left, bump, rng.nextBoolean() ? 1.0 : -1.0);
                    }
                }
            }
        }
        double[][] start = new double[clean.length][];
        for (int n = 0; n < clean.length; n++) {
            start[n] = scaledTo(clean[n], delta[n], eps, min, max);
        }
        return start;
    }

    /** L-inf: one window of side about sqrt(p HW), set to +-eps per channel (a change the example sees). */
    static double[] linfCandidate(double[] x, double[] best, ImageShape image, double p, double eps,
            SplittableRandom rng, double min, double max) {
        int s = (int) Math.rint(Math.sqrt(p * image.values() / image.channels()));
        s = Math.min(Math.max(s, 1), Math.min(image.height(), image.width()) - 1);
        int top = rng.nextInt(image.height() - s + 1);
        int left = rng.nextInt(image.width() - s + 1);
        double[] delta = difference(best, x);
        for (int attempt = 0; attempt < MAX_REDRAWS; attempt++) {
            boolean changed = false;
            for (int ch = 0; ch < image.channels(); ch++) {
                double step = rng.nextBoolean() ? eps : -eps;
                for (int r = top; r < top + s; r++) {
                    for (int c = left; c < left + s; c++) {
                        int j = at(image, ch, r, c);
                        delta[j] = step;
                        changed |= Math.abs(Math.min(max, Math.max(min, x[j] + step)) - best[j]) >= 1e-7;
                    }
                }
            }
            if (changed) {
                break;
            }
        }
        double[] candidate = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            candidate[j] = x[j] + delta[j];
        }
        return Oracle.clip(candidate, min, max);
    }

    /**
     * L2: window 1 gets a fresh signed pseudo-Gaussian bump plus its old content, window 2 is
     * emptied, and the freed norm budget goes to window 1, so the perturbation keeps norm eps.
     */
    static double[] l2Candidate(double[] x, double[] best, ImageShape image, double p, double eps,
            SplittableRandom rng, double min, double max) {
        int c = image.channels();
        int s = Math.max((int) Math.rint(Math.sqrt(p * image.values() / c)), 3);
        s = Math.min(s % 2 == 0 ? s + 1 : s, Math.min(image.height(), image.width()));
        int top = rng.nextInt(image.height() - s + 1);
        int left = rng.nextInt(image.width() - s + 1);
        int top2 = rng.nextInt(image.height() - s + 1);
        int left2 = rng.nextInt(image.width() - s + 1);
        double[] delta = difference(best, x);
        double imageNormSq = dot(delta, delta);
        double[][] bump = eta(s, rng);
        double[][][] windows = new double[c][s][s];
        for (int ch = 0; ch < c; ch++) {
            double windowNormSq = 0;
            double unionNormSq = 0;
            for (int r = 0; r < image.height(); r++) {
                for (int col = 0; col < image.width(); col++) {
                    double v = delta[at(image, ch, r, col)];
                    boolean in1 = inside(r, col, top, left, s);
                    windowNormSq += in1 ? v * v : 0;
                    unionNormSq += in1 || inside(r, col, top2, left2, s) ? v * v : 0;
                }
            }
            double sign = rng.nextBoolean() ? 1.0 : -1.0;
            double newNormSq = 0;
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    double old = delta[at(image, ch, top + r, left + col)] / (TINY + Math.sqrt(windowNormSq));
                    windows[ch][r][col] = bump[r][col] * sign + old;
                    newNormSq += windows[ch][r][col] * windows[ch][r][col];
                }
            }
            double target = Math.sqrt(Math.max(eps * eps - imageNormSq, 0) / c + unionNormSq);
            scale(windows[ch], target / Math.max(Math.sqrt(newNormSq), TINY));
        }
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    delta[at(image, ch, top2 + r, left2 + col)] = 0.0;
                }
            }
        }
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    delta[at(image, ch, top + r, left + col)] = windows[ch][r][col];
                }
            }
        }
        return scaledTo(x, delta, eps, min, max);
    }

    /**
     * The paper's pseudo-Gaussian bump of side s: two stacked halves of opposite sign, each a sum of
     * nested rectangles weighted 1/k^2, unit L2 norm, transposed with probability 1/2.
     */
    static double[][] eta(int s, SplittableRandom rng) {
        double[][] bump = new double[s][];
        double[][] upper = rectangles(s / 2, s);
        double[][] lower = rectangles(s - s / 2, s);
        for (int r = 0; r < s; r++) {
            double sign = r < s / 2 ? 1.0 : -1.0;
            double[] source = r < s / 2 ? upper[r] : lower[r - s / 2];
            bump[r] = new double[s];
            for (int col = 0; col < s; col++) {
                bump[r][col] = sign * source[col];
            }
        }
        scale(bump, 1.0 / Math.sqrt(sumOfSquares(bump)));
        if (rng.nextDouble() > 0.5) {
            double[][] transposed = new double[s][s];
            for (int r = 0; r < s; r++) {
                for (int col = 0; col < s; col++) {
                    transposed[col][r] = bump[r][col];
                }
            }
            return transposed;
        }
        return bump;
    }

    /** Nested centred rectangles, the k-th (from the centre) weighted 1/k^2, normalised; rows x cols. */
    private static double[][] rectangles(int rows, int cols) {
        double[][] d = new double[rows][cols];
        if (rows == 0) {
            return d;
        }
        int r0 = rows / 2;
        int c0 = cols / 2;
        for (int k = 0; k < Math.max(rows / 2 + 1, cols / 2 + 1); k++, r0--, c0--) {
            for (int r = Math.max(r0, 0); r < Math.min(r0 + 2 * k + 1, rows); r++) {
                for (int col = Math.max(c0, 0); col < Math.min(c0 + 2 * k + 1, cols); col++) {
                    d[r][col] += 1.0 / ((k + 1.0) * (k + 1.0));
                }
            }
        }
        scale(d, 1.0 / Math.sqrt(sumOfSquares(d)));
        return d;
    }

    /** Index of a pixel in a flat row-major [C, H, W] example. */
    private static int at(ImageShape image, int channel, int row, int column) {
        return (channel * image.height() + row) * image.width() + column;
    }

    private static boolean inside(int r, int col, int top, int left, int s) {
        return r >= top && r < top + s && col >= left && col < left + s;
    }

    private static void addWindow(double[] delta, ImageShape image, int ch, int top, int left, double[][] values,
            double factor) {
        for (int r = 0; r < values.length; r++) {
            for (int col = 0; col < values.length; col++) {
                delta[at(image, ch, top + r, left + col)] += factor * values[r][col];
            }
        }
    }

    /** {@code clip(x + delta * eps / ||delta||)}. */
    private static double[] scaledTo(double[] x, double[] delta, double eps, double min, double max) {
        double factor = eps / Math.max(Math.sqrt(dot(delta, delta)), TINY);
        double[] result = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            result[j] = x[j] + delta[j] * factor;
        }
        return Oracle.clip(result, min, max);
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            d[j] = a[j] - b[j];
        }
        return d;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    private static double sumOfSquares(double[][] m) {
        double sum = 0;
        for (double[] row : m) {
            sum += dot(row, row);
        }
        return sum;
    }

    private static void scale(double[][] m, double factor) {
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }
}
