package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The minimal-perturbation attacks find (nearly) minimal perturbations: exactly on a linear model,
 * where the distance to the decision boundary is known in closed form, and no larger than PGD
 * needs on a trained MLP.
 */
class MinimalPerturbationTest {

    @Test
    void onALinearModelDeepFoolIsExactAndCarliniWagnerReachesTheBoundary() {
        MultiLayerNetwork linear = TinyModels.train(softmaxRegression(), TinyData.quadrants(400, 51, DataType.FLOAT), 80);
        DataSet test = TinyData.quadrants(40, 52, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(test.getLabels());
        double[][] x = test.getFeatures().toDoubleMatrix();
        double[][] w = linear.getParam("0_W").toDoubleMatrix(); // [36, 4]
        double[] b = linear.getParam("0_b").toDoubleVector();
        int[] truth = Losses.argMaxRows(test.getLabels().toDoubleMatrix());

        AttackResult deepFool = DeepFool.builder().build().generate(Classifiers.of(linear), test.getFeatures(), criterion);
        AttackResult deepFoolInf = DeepFool.builder().norm(LinfNorm.INSTANCE).build()
                .generate(Classifiers.of(linear), test.getFeatures(), criterion);
        AttackResult cw = CarliniWagnerL2.builder().binarySearchSteps(6).build()
                .generate(Classifiers.of(linear), test.getFeatures(), criterion);
        for (AttackResult result : new AttackResult[] {deepFool, deepFoolInf, cw}) {
            assertEquals(1.0, result.successRate(), 0.03, "success on a linear model");
        }
        double[] deepFoolL2 = deepFool.perturbationNorms();
        double[] deepFoolLinf = deepFoolInf.perturbationNorms();
        double[] cwL2 = cw.perturbationNorms();
        int exact = 0;
        int checked = 0;
        for (int i = 0; i < x.length; i++) {
            double[] l2 = boundaryDistance(x[i], w, b, truth[i], false);
            double[] linf = boundaryDistance(x[i], w, b, truth[i], true);
            // The box [0, 1] can only make the minimum larger: no adversarial point beats the unconstrained distance.
            assertTrue(!cw.success()[i] || cwL2[i] >= l2[0] * (1 - 1e-3), "C&W below the minimum at " + i + ": " + cwL2[i] + " < " + l2[0]);
            assertTrue(!deepFool.success()[i] || deepFoolL2[i] >= l2[0] * (1 - 1e-4), "DeepFool L2 below the minimum at " + i);
            assertTrue(!deepFoolInf.success()[i] || deepFoolLinf[i] >= linf[0] * (1 - 1e-4), "DeepFool L-inf below the minimum at " + i);
            if (l2[1] > 0 && linf[1] > 0) { // the closed form holds where the box does not bind
                checked++;
                assertEquals(1.02 * (l2[0] + 1e-4), deepFoolL2[i], 1e-3 * l2[0], "DeepFool L2 at " + i);
                assertEquals(1.02 * (linf[0] + 1e-4), deepFoolLinf[i], 1e-3 * linf[0], "DeepFool L-inf at " + i);
                exact += cwL2[i] <= l2[0] * 1.01 ? 1 : 0;
            }
        }
        System.out.printf("linear model: DeepFool exact on %d of %d examples away from the box, C&W within 1%% on %d%n",
                checked, x.length, exact);
        assertTrue(checked >= 20, "too few examples away from the box: " + checked);
        assertTrue(exact >= 0.8 * checked, "C&W within 1% of the minimal L2 distance on " + exact + " of " + checked);
    }

    @Test
    void carliniWagnerAndDeepFoolNeedNoMoreThanPgd() {
        MultiLayerNetwork net = TinyModels.trainedMlp(41);
        DataSet test = TinyData.quadrants(60, 42, DataType.FLOAT);
        DifferentiableClassifier model = Classifiers.of(net);
        Criterion criterion = Criterion.untargeted(test.getLabels());

        double cw = medianNorm(CarliniWagnerL2.builder().binarySearchSteps(5).build().generate(model, test.getFeatures(), criterion));
        double deepFool = medianNorm(DeepFool.builder().build().generate(model, test.getFeatures(), criterion));
        double deepFoolLinf = medianNorm(DeepFool.builder().norm(LinfNorm.INSTANCE).build()
                .generate(model, test.getFeatures(), criterion));
        double pgd = medianEpsPgdNeeds(model, test, criterion, L2Norm.INSTANCE, 2.0);
        double pgdLinf = medianEpsPgdNeeds(model, test, criterion, LinfNorm.INSTANCE, 0.5);
        String numbers = String.format("median L2: C&W %.4f, DeepFool %.4f, PGD-20 needs %.4f; median L-inf: DeepFool %.4f,"
                + " PGD-20 needs %.4f", cw, deepFool, pgd, deepFoolLinf, pgdLinf);
        System.out.println(numbers);
        // On this near-linear model PGD-20 at the threshold is itself nearly minimal (C&W / PGD within
        // 0.98-1.06 over 12 seeds and models tried), so "smaller" holds only up to a tolerance; DeepFool
        // adds its 2% overshoot on top.
        assertTrue(cw <= pgd * 1.05, "C&W larger than PGD needs: " + numbers);
        assertTrue(deepFool <= pgd * 1.10, "DeepFool L2 far above what PGD needs: " + numbers);
        assertTrue(deepFoolLinf <= pgdLinf * 1.10, "DeepFool L-inf far above what PGD needs: " + numbers);
    }

    /**
     * The median over examples of the smallest eps at which PGD (20 steps, random start, step
     * eps / 4) succeeds: the eps at which PGD first breaks half the batch, by bisection.
     */
    private static double medianEpsPgdNeeds(DifferentiableClassifier model, DataSet test, Criterion criterion, Norm norm,
            double upper) {
        double lo = 0;
        double hi = upper;
        for (int k = 0; k < 12; k++) {
            double mid = (lo + hi) / 2;
            double rate = ProjectedGradientDescent.builder().norm(norm).eps(mid).steps(20).seed(3).build()
                    .generate(model, test.getFeatures(), criterion).successRate();
            if (rate >= 0.5) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** The lower median of the perturbation sizes, counting examples not broken as infinitely large. */
    private static double medianNorm(AttackResult result) {
        double[] norms = result.perturbationNorms();
        boolean[] success = result.success();
        for (int i = 0; i < norms.length; i++) {
            norms[i] = success[i] ? norms[i] : Double.POSITIVE_INFINITY;
        }
        Arrays.sort(norms);
        return norms[(norms.length + 1) / 2 - 1];
    }

    /**
     * The distance from x to the nearest other class's decision boundary of {@code z = x W + b}
     * under L2 (or L-inf), and whether the straight path there, with DeepFool's overshoot, stays
     * inside [0, 1] (1) or not (0).
     */
    private static double[] boundaryDistance(double[] x, double[][] w, double[] b, int y, boolean linf) {
        int classes = b.length;
        double[] z = new double[classes];
        for (int k = 0; k < classes; k++) {
            z[k] = b[k];
            for (int d = 0; d < x.length; d++) {
                z[k] += x[d] * w[d][k];
            }
        }
        double best = Double.POSITIVE_INFINITY;
        int nearest = -1;
        for (int k = 0; k < classes; k++) {
            if (k != y) {
                double dual = 0;
                for (double[] row : w) {
                    double diff = row[k] - row[y];
                    dual += linf ? Math.abs(diff) : diff * diff;
                }
                double distance = (z[y] - z[k]) / (linf ? dual : Math.sqrt(dual));
                if (distance < best) {
                    best = distance;
                    nearest = k;
                }
            }
        }
        double length = 0;
        for (double[] row : w) {
            double diff = row[nearest] - row[y];
            length += linf ? Math.abs(diff) : diff * diff;
        }
        boolean inside = true;
        for (int d = 0; d < x.length; d++) {
            double diff = w[d][nearest] - w[d][y];
            double step = linf ? Math.signum(diff) * best : diff / Math.sqrt(length) * best;
            double moved = x[d] + 1.03 * step;
            inside &= moved >= 0 && moved <= 1;
        }
        return new double[] {best, inside ? 1 : 0};
    }

    private static MultiLayerNetwork softmaxRegression() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(51).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(TinyModels.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(TinyModels.SIDE * TinyModels.SIDE))
                .build());
        net.init();
        return net;
    }
}
