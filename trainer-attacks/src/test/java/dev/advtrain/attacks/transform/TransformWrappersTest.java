package dev.advtrain.attacks.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.Classifier;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.LossGradient;
import dev.advtrain.attacks.Losses;
import dev.advtrain.attacks.ProjectedGradientDescent;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EOT, BPDA and the naive defended model: their gradients are what they claim, and on a trained
 * model the adaptive attacks get through defences that the naive one does not.
 */
class TransformWrappersTest {

    private static final Logger LOG = LoggerFactory.getLogger(TransformWrappersTest.class);

    private static DifferentiableClassifier trained;
    private static DataSet test;

    @BeforeAll
    static void train() {
        trained = Classifiers.of(TinyModels.trainedMlp(41));
        test = TinyData.quadrants(200, 42, DataType.FLOAT);
    }

    /** Accuracy against a (possibly random) model, averaged over {@code draws} calls. */
    private static double accuracy(Classifier model, INDArray x, INDArray y, int draws) {
        double sum = 0;
        for (int d = 0; d < draws; d++) {
            sum += Nd4j.argMax(model.predict(x), 1).eq(Nd4j.argMax(y, 1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        }
        return sum / draws;
    }

    @Test
    void eotIsTheMeanOverDrawsOfGradientsThroughEachDrawAndOfProbabilities() {
        DifferentiableClassifier model = Classifiers.of(TinyModels.mlp(5, DataType.DOUBLE));
        DataSet batch = TinyData.quadrants(6, 7, DataType.DOUBLE);
        INDArray x = batch.getFeatures();
        INDArray y = batch.getLabels();
        for (InputTransform t : new InputTransform[] {new GaussianNoise(0.3, 0.0, 1.0), new RandomShift(2)}) {
            ExpectationOverTransformation eot = new ExpectationOverTransformation(model, t, 4, 9);
            LossGradient got = eot.gradient(x, Losses.margin(), y);
            INDArray gotLossGradient = eot.lossGradient(x, y);
            INDArray gotPredictions = eot.predict(x);

            // The same draws, in the documented order: sample s of a call is t.apply(x, rng).
            SplittableRandom rng = new SplittableRandom(9);
            INDArray input = Nd4j.zeros(DataType.DOUBLE, x.shape());
            INDArray logits = Nd4j.zeros(DataType.DOUBLE, y.shape());
            INDArray firstDraw = null;
            for (int s = 0; s < 4; s++) {
                InputTransform.Applied draw = t.apply(x, rng);
                LossGradient g = model.gradient(draw.output(), Losses.margin(), y);
                INDArray back = draw.backward(g.input());
                firstDraw = firstDraw == null ? back : firstDraw;
                input.addi(back.div(4));
                logits.addi(g.logits().div(4));
            }
            INDArray lossGradient = Nd4j.zeros(DataType.DOUBLE, x.shape());
            for (int s = 0; s < 4; s++) {
                InputTransform.Applied draw = t.apply(x, rng);
                lossGradient.addi(draw.backward(model.lossGradient(draw.output(), y)).div(4));
            }
            INDArray predictions = Nd4j.zeros(DataType.DOUBLE, y.shape());
            for (int s = 0; s < 4; s++) {
                predictions.addi(model.predict(t.apply(x, rng).output()).div(4));
            }
            assertTrue(got.input().equalsWithEps(input, 1e-10), t + ": gradient");
            assertTrue(got.logits().equalsWithEps(logits, 1e-10), t + ": logits");
            assertTrue(gotLossGradient.equalsWithEps(lossGradient, 1e-10), t + ": model loss gradient");
            assertTrue(gotPredictions.equalsWithEps(predictions, 1e-10), t + ": predictions");
            assertNotEquals(firstDraw, got.input(), t + ": the draws did not differ");
        }
    }

    @Test
    void quantisationMasksTheNaiveGradientAndBpdaPassesTheGradientAtTheSqueezedInput() {
        DifferentiableClassifier model = Classifiers.of(TinyModels.mlp(5, DataType.DOUBLE));
        DataSet batch = TinyData.quadrants(6, 7, DataType.DOUBLE);
        INDArray x = batch.getFeatures();
        INDArray y = batch.getLabels();
        BitDepthReduction squeeze = new BitDepthReduction(2);
        INDArray squeezed = squeeze.apply(x, null).output();

        DefendedClassifier naive = new DefendedClassifier(model, squeeze, 0);
        assertEquals(model.predict(squeezed), naive.predict(x));
        assertEquals(0.0, naive.lossGradient(x, y).amaxNumber().doubleValue());
        assertEquals(0.0, naive.gradient(x, Losses.crossEntropy(), y).input().amaxNumber().doubleValue());

        BackwardPassDifferentiableApproximation bpda = new BackwardPassDifferentiableApproximation(model, squeeze);
        assertEquals(model.predict(squeezed), bpda.predict(x));
        assertEquals(model.lossGradient(squeezed, y), bpda.lossGradient(x, y));
        LossGradient expected = model.gradient(squeezed, Losses.dlr(), y);
        LossGradient got = bpda.gradient(x, Losses.dlr(), y);
        assertEquals(expected.input(), got.input());
        assertEquals(expected.logits(), got.logits());
        assertTrue(got.input().amaxNumber().doubleValue() > 0);
    }

    @Test
    void pgdThroughEotBeatsPgdThroughSingleNoiseDraws() {
        INDArray x = test.getFeatures();
        INDArray y = test.getLabels();
        InputTransform noise = new GaussianNoise(0.4, 0.0, 1.0);
        ProjectedGradientDescent pgd = ProjectedGradientDescent.builder().eps(0.1).steps(3).seed(1).build();
        INDArray single = pgd.generate(new DefendedClassifier(trained, noise, 3), x, Criterion.untargeted(y)).adversarial();
        INDArray eot = pgd.generate(new ExpectationOverTransformation(trained, noise, 10, 3), x, Criterion.untargeted(y)).adversarial();

        // The deployed defence draws noise on every query: accuracy averaged over 10 draws.
        DefendedClassifier deployed = new DefendedClassifier(trained, noise, 99);
        double clean = accuracy(deployed, x, y, 10);
        double singleAccuracy = accuracy(deployed, single, y, 10);
        double eotAccuracy = accuracy(deployed, eot, y, 10);
        String numbers = String.format("noise sigma 0.4, PGD eps 0.1, 3 steps: defended clean %.3f, "
                + "after PGD on single draws %.3f, after PGD through EOT-10 %.3f", clean, singleAccuracy, eotAccuracy);
        LOG.info(numbers);
        assertTrue(singleAccuracy < clean, numbers);
        assertTrue(eotAccuracy < singleAccuracy - 0.03, numbers);
    }

    @Test
    void bpdaBreaksBitDepthReductionWhereTheNaiveAttackFindsNothing() {
        INDArray x = test.getFeatures();
        INDArray y = test.getLabels();
        BitDepthReduction squeeze = new BitDepthReduction(2);
        DefendedClassifier defended = new DefendedClassifier(trained, squeeze, 0);
        ProjectedGradientDescent pgd = ProjectedGradientDescent.builder().eps(0.15).steps(10).seed(1).build();
        double clean = accuracy(defended, x, y, 1);
        double naive = accuracy(defended, pgd.generate(defended, x, Criterion.untargeted(y)).adversarial(), y, 1);
        double bpda = accuracy(defended, pgd.generate(new BackwardPassDifferentiableApproximation(trained, squeeze), x,
                Criterion.untargeted(y)).adversarial(), y, 1);
        String numbers = String.format("2-bit squeezing, PGD eps 0.15, 10 steps: defended clean %.3f, "
                + "after naive PGD %.3f, after BPDA-PGD %.3f", clean, naive, bpda);
        LOG.info(numbers);
        assertTrue(clean > 0.9, numbers);
        assertTrue(naive > clean - 0.05, numbers);
        assertTrue(bpda < clean - 0.5, numbers);
    }
}
