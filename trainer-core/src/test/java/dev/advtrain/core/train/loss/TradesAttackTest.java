package dev.advtrain.core.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.LinfNorm;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks.ModelState;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TradesAttackTest {

    private static final double EPS = 0.1;
    private static final double STEP = 0.02;
    private static final int STEPS = 10;

    private final TradesAttack attack = new TradesAttack();

    @Test
    void movesPredictionsFarFromTheCleanOnesWithinTheBallOnAFlatModel() {
        MultiLayerNetwork network = TinyModels.trainedMlp(3);
        INDArray x = TinyData.quadrants(32, 21, DataType.FLOAT).getFeatures();
        DifferentiableClassifier classifier = Classifiers.of(network);

        INDArray adversarial = attackAndCheck(network, classifier, x, STEPS, 5);

        INDArray clean = classifier.predict(x);
        double startOnly = meanKl(clean, classifier.predict(attack.generate(classifier, x, EPS, STEP, 0, 5)));
        double attacked = meanKl(clean, classifier.predict(adversarial));
        assertTrue(attacked > 0.05 && attacked > 1000 * startOnly,
                "KL after the attack " + attacked + ", after the noisy start alone " + startOnly);
    }

    @Test
    void keepsTheInvariantsOnImageShapedInputs() {
        DataSet images = TinyData.asImages(TinyData.quadrants(64, 11, DataType.FLOAT));
        MultiLayerNetwork network = TinyModels.train(TinyModels.cnnNchw(2, DataType.FLOAT), images, 20);
        INDArray x = images.getFeatures().get(NDArrayIndex.interval(0, 16)).dup();
        attackAndCheck(network, Classifiers.of(network), x, 4, 9);
    }

    @Test
    void theSameSeedGivesTheSameBatchAndAnotherSeedAnotherStart() {
        MultiLayerNetwork network = TinyModels.mlp(4, DataType.FLOAT);
        DifferentiableClassifier classifier = Classifiers.of(network);
        INDArray x = TinyData.quadrants(8, 2, DataType.FLOAT).getFeatures();
        INDArray first = attack.generate(classifier, x, EPS, STEP, 3, 17);
        assertEquals(first, attack.generate(classifier, x, EPS, STEP, 3, 17));
        INDArray start = attack.generate(classifier, x, EPS, STEP, 0, 17);
        assertNotEquals(start, attack.generate(classifier, x, EPS, STEP, 0, 18));
    }

    @Test
    void rejectsInputsOutsideTheUnitRange() {
        MultiLayerNetwork network = TinyModels.mlp(4, DataType.FLOAT);
        INDArray x = TinyData.quadrants(2, 2, DataType.FLOAT).getFeatures().muli(2);
        DifferentiableClassifier classifier = Classifiers.of(network);
        assertThrows(IllegalArgumentException.class, () -> attack.generate(classifier, x, EPS, STEP, 1, 1));
    }

    /** Runs the attack and asserts shape, eps-ball, [0, 1], finiteness, and an untouched input and model. */
    private INDArray attackAndCheck(MultiLayerNetwork network, DifferentiableClassifier classifier, INDArray x,
            int steps, long seed) {
        INDArray xBefore = x.dup();
        ModelState before = ModelState.of(network);
        INDArray adversarial = attack.generate(classifier, x, EPS, STEP, steps, seed);
        assertEquals(xBefore, x, "the attack modified its input");
        before.assertUnchanged(network);
        assertArrayEquals(x.shape(), adversarial.shape());
        assertFalse(adversarial.isNaN().any() || adversarial.isInfinite().any(), "NaN or infinite values");
        for (double norm : LinfNorm.INSTANCE.perExampleNorm(adversarial.sub(x))) {
            assertTrue(norm <= EPS * (1 + 1e-5) + 1e-6, "perturbation " + norm + " outside the eps-ball");
        }
        assertTrue(adversarial.minNumber().doubleValue() >= 0 && adversarial.maxNumber().doubleValue() <= 1,
                "outside [0, 1]");
        return adversarial;
    }

    /** Mean over rows of KL(p || q), from probabilities. */
    private static double meanKl(INDArray p, INDArray q) {
        double[][] pRows = p.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] qRows = q.castTo(DataType.DOUBLE).toDoubleMatrix();
        double sum = 0;
        for (int i = 0; i < pRows.length; i++) {
            for (int k = 0; k < pRows[i].length; k++) {
                sum += pRows[i][k] > 0 ? pRows[i][k] * Math.log(pRows[i][k] / Math.max(qRows[i][k], 1e-30)) : 0;
            }
        }
        return sum / pRows.length;
    }
}
