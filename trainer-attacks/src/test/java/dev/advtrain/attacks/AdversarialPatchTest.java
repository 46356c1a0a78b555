package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import dev.advtrain.attacks.transform.ImageShape;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The patch: placement changes only the masked pixels, its gradient is exact, a trained targeted
 * patch works on held-out images where a random one does not, and as an attack it keeps the L0
 * threat model. On the 6x6 quadrant images a 3x3 patch (share 0.25) is one quadrant's size.
 */
class AdversarialPatchTest {

    private static final Logger LOG = LoggerFactory.getLogger(AdversarialPatchTest.class);

    private static Patch randomPatch(AdversarialPatch attack, int side, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[side * side];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextDouble();
        }
        return attack.patch(Nd4j.create(values, new long[] {1, side, side}, 'c'));
    }

    @Test
    void placementChangesOnlyTheMaskedPixelsAndCoversAtMostTheShare() {
        AdversarialPatch attack = AdversarialPatch.builder().share(0.25).scale(0.6, 1.0).maxRotationDegrees(180).build();
        Patch patch = randomPatch(attack, 3, 1);
        INDArray images = TinyData.asImages(TinyData.quadrants(50, 2, DataType.FLOAT)).getFeatures();
        Patch.Patched patched = patch.apply(images, new SplittableRandom(3));
        assertArrayEquals(images.shape(), patched.masks().shape());
        INDArray outside = patched.masks().rsub(1.0);
        assertEquals(images.mul(outside), patched.images().mul(outside), "pixels outside the mask changed");
        double[] covered = patched.masks().reshape(50, 36).sum(1).toDoubleVector();
        double[] patchValues = patch.pixels().reshape(-1).toDoubleVector();
        for (int n = 0; n < 50; n++) {
            assertTrue(covered[n] >= 1 && covered[n] <= 9, "image " + n + " has " + covered[n] + " patch pixels");
            for (int q = 0; q < 36; q++) {
                if (patched.masks().getDouble(n, 0, q / 6, q % 6) == 1.0) {
                    double v = patched.images().getDouble(n, 0, q / 6, q % 6);
                    assertTrue(java.util.Arrays.stream(patchValues).anyMatch(p -> Math.abs(p - v) < 1e-6),
                            "a masked pixel that is no patch pixel");
                }
            }
        }
        // Flat rows get the same placements as images.
        Patch.Patched flat = patch.apply(images.reshape(50, 36), new SplittableRandom(3));
        assertEquals(patched.images().reshape(50, 36), flat.images());
        // Unrotated at full scale, the patch covers exactly side x side pixels.
        Patch upright = AdversarialPatch.builder().share(0.25).scale(1, 1).maxRotationDegrees(0).build()
                .patch(patch.pixels());
        assertEquals(Nd4j.valueArrayOf(new long[] {50, 1}, 9.0, DataType.FLOAT),
                upright.apply(images, new SplittableRandom(4)).masks().reshape(50, 36).sum(true, 1));
    }

    @Test
    void patchGradientIsTheFiniteDifferenceOfTheLossOfThePatchedBatch() {
        DifferentiableClassifier model = Classifiers.of(TinyModels.mlp(3, DataType.DOUBLE));
        DataSet batch = TinyData.quadrants(8, 4, DataType.DOUBLE);
        AdversarialPatch attack = AdversarialPatch.builder().share(0.25).maxRotationDegrees(45).build();
        Patch patch = attack.patch(Nd4j.rand(DataType.DOUBLE, 1, 3, 3));
        ImageShape image = new ImageShape(1, 6, 6);
        Patch.Placed placed = patch.place(batch.getFeatures(), image, new SplittableRandom(5));
        INDArray grad = patch.scatter(model.gradient(placed.images(), Losses.crossEntropy(), batch.getLabels()).input(),
                placed, image);
        INDArray pixels = patch.pixels();
        double h = 1e-6;
        for (int i = 0; i < 9; i++) {
            double v = pixels.getDouble(0, i / 3, i % 3);
            pixels.putScalar(new int[] {0, i / 3, i % 3}, v + h);
            double up = loss(model, attack.patch(pixels), batch, image);
            pixels.putScalar(new int[] {0, i / 3, i % 3}, v - h);
            double down = loss(model, attack.patch(pixels), batch, image);
            pixels.putScalar(new int[] {0, i / 3, i % 3}, v);
            assertEquals((up - down) / (2 * h), grad.getDouble(0, i / 3, i % 3), 1e-6, "patch pixel " + i);
        }
        assertTrue(grad.amaxNumber().doubleValue() > 1e-3, "a vanishing gradient proves nothing");
    }

    /** The summed cross-entropy of the batch with the patch at the placements of seed 5. */
    private static double loss(DifferentiableClassifier model, Patch patch, DataSet batch, ImageShape image) {
        INDArray logits = model.gradient(patch.place(batch.getFeatures(), image, new SplittableRandom(5)).images(),
                Losses.crossEntropy(), batch.getLabels()).logits();
        return Losses.crossEntropy().value(logits, batch.getLabels()).sumNumber().doubleValue();
    }

    @Test
    void aTrainedTargetedPatchPullsHeldOutImagesToTheTargetWhereARandomPatchDoesNot() {
        DifferentiableClassifier model = Classifiers.of(TinyModels.trainedMlp(61));
        DataSet train = TinyData.quadrants(300, 62, DataType.FLOAT);
        DataSet heldOut = TinyData.quadrants(200, 63, DataType.FLOAT);
        // Full scale: on 6x6 images a scaled-down 3-pixel patch loses whole rows.
        AdversarialPatch attack = AdversarialPatch.builder().share(0.25).scale(1.0, 1.0).steps(60).seed(7).build();
        int target = 1;
        Patch trained = attack.train(model, train.getFeatures(), target);
        double trainedRate = targetRate(model, trained, heldOut, target);
        double randomRate = 0;
        for (int seed = 0; seed < 5; seed++) {
            randomRate += targetRate(model, randomPatch(attack, 3, seed), heldOut, target) / 5;
        }
        String numbers = String.format("3x3 patch towards class %d at random positions and rotations: held-out "
                + "non-target images classified as the target: trained patch %.3f, random patches %.3f",
                target, trainedRate, randomRate);
        LOG.info(numbers);
        assertTrue(trainedRate > 0.1, numbers);
        assertTrue(trainedRate > randomRate + 0.08, numbers);
    }

    /** Share of the images of other classes that the patched model puts into the target class. */
    private static double targetRate(DifferentiableClassifier model, Patch patch, DataSet data, int target) {
        long[] truth = Nd4j.argMax(data.getLabels(), 1).toLongVector();
        long[] predicted = Nd4j.argMax(model.predict(patch.apply(data.getFeatures(), new SplittableRandom(11)).images()), 1)
                .toLongVector();
        int others = 0;
        int hits = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != target) {
                others++;
                hits += predicted[i] == target ? 1 : 0;
            }
        }
        return (double) hits / others;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnnNchw", "graph"})
    void asACatalogueAttackItKeepsTheL0ThreatModelAndIsDeterministic(String kind) {
        Object[] mb = UniversalPerturbationTest.modelAndBatch(kind);
        Model model = (Model) mb[0];
        DataSet batch = (DataSet) mb[1];
        DifferentiableClassifier classifier = Classifiers.of(model);
        INDArray x = batch.getFeatures();
        Criterion criterion = Criterion.targeted(TinyData.nextClassTargets(batch.getLabels()));
        AttackParams params = AttackParams.of(0.25).withNorm(L0Norm.INSTANCE).withSteps(5).withSeed(3);
        Supplier<Attack<? super DifferentiableClassifier>> patch = () -> AttackCatalog.get("patch").create(params);
        AttackResult result = AttackChecks.assertInvariants(patch.get(), classifier, model, x, criterion);
        double[] shares = result.perturbationNorms();
        assertTrue(java.util.Arrays.stream(shares).max().orElse(0) > 0.1, "the patch changed nothing");
        assertEquals(result.adversarial(), patch.get().generate(classifier, x, criterion).adversarial(), "same seed, other result");
    }

    @Test
    void l0NormCountsChangedValuesAndProjectsOntoTheLargest() {
        INDArray delta = Nd4j.createFromArray(new double[][] {{0.0, -0.5, 0.2, 0.0, 0.9}, {0.1, 0.1, 0.1, 0.0, 0.0}});
        assertArrayEquals(new double[] {0.6, 0.6}, L0Norm.INSTANCE.perExampleNorm(delta), 1e-12);
        L0Norm.INSTANCE.projectInPlace(delta, 0.4);
        assertEquals(Nd4j.createFromArray(new double[][] {{0.0, -0.5, 0.0, 0.0, 0.9}, {0.1, 0.1, 0.0, 0.0, 0.0}}), delta);
        INDArray start = L0Norm.INSTANCE.randomStart(Nd4j.zeros(DataType.DOUBLE, 3, 1, 6, 6), 0.25, new SplittableRandom(1));
        assertArrayEquals(new double[] {0.25, 0.25, 0.25}, L0Norm.INSTANCE.perExampleNorm(start), 1e-12);
        assertTrue(start.amaxNumber().doubleValue() <= 1.0);
        INDArray step = L0Norm.INSTANCE.stepDirection(Nd4j.createFromArray(new double[][] {{2.0, -4.0}, {0.5, 0.25}}));
        assertEquals(Nd4j.createFromArray(new double[][] {{0.5, -1.0}, {1.0, 0.5}}), step);
        assertEquals(L0Norm.INSTANCE, Norms.of("l0"));
    }

    @Test
    void refusesAPatchSmallerThanAPixel() {
        AdversarialPatch tiny = AdversarialPatch.builder().share(0.02).build();
        DataSet batch = TinyData.quadrants(4, 1, DataType.FLOAT);
        assertThrows(IllegalArgumentException.class, () -> tiny.generate(Classifiers.of(TinyModels.mlp(1, DataType.FLOAT)),
                batch.getFeatures(), Criterion.untargeted(batch.getLabels())));
        assertThrows(IllegalArgumentException.class, () -> AdversarialPatch.builder().scale(0.5, 1.5).build());
        assertThrows(IllegalArgumentException.class, () -> AdversarialPatch.builder().share(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> AdversarialPatch.builder().norm(L2Norm.INSTANCE).build());
        assertEquals(0.25, AdversarialPatch.builder().share(0.25).build().eps(), "the share is the L0 eps");
        assertEquals(batch.getFeatures(), AdversarialPatch.builder().share(0).build()
                .generate(Classifiers.of(TinyModels.mlp(1, DataType.FLOAT)), batch.getFeatures(),
                        Criterion.untargeted(batch.getLabels())).adversarial(), "eps 0 is the clean input");
    }
}
