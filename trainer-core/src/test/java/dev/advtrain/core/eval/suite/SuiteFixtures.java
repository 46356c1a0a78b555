package dev.advtrain.core.eval.suite;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.Progress;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistData;
import dev.advtrain.core.testing.LearnableMnist;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small MLP trained on the learnable MNIST-shaped fixture, and models built from it to fail the
 * sanity checks.
 */
final class SuiteFixtures {

    private SuiteFixtures() {
    }

    /** The fixture's test images. */
    static LabeledImages testImages(Path dir) throws IOException {
        return MnistData.load(LearnableMnist.writeAll(dir), false).test();
    }

    /** An MLP 784-32-10 trained for two epochs on 1,000 training images of the fixture in {@code dir}. */
    static MultiLayerNetwork trainedMlp(Path dir) throws IOException {
        LabeledImages train = MnistData.load(dir, false).train().first(1000);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        net.fit(ImageDataSetIterator.builder(train).batchSize(50).shuffle(1).build(), 2);
        return net;
    }

    /** A suite from YAML, validated. */
    static SuiteConfig suite(String yaml) {
        SuiteConfig suite = ConfigLoader.bindYaml(yaml, "test suite", SuiteConfig.class);
        suite.validate("test suite");
        return suite;
    }

    static SuiteRunner.SuiteResult run(DifferentiableClassifier model, SuiteConfig suite, LabeledImages test) {
        return new SuiteRunner(model, file -> {
            throw new AssertionError("no surrogate in these suites");
        }, Progress.none()).run(suite, test, "test-model");
    }

    static SuiteReport.SanityCheck check(SuiteReport report, String id) {
        return report.sanityChecks().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no sanity check " + id + " in " + report.sanityChecks()));
    }

    /** The model with its output layer's weights and bias scaled: the same predictions, saturated probabilities. */
    static DifferentiableClassifier saturated(MultiLayerNetwork net, double scale) {
        MultiLayerNetwork copy = net.clone();
        copy.getLayer(1).getParam("W").muli(scale);
        copy.getLayer(1).getParam("b").muli(scale);
        return Classifiers.of(copy);
    }

    /**
     * Whose gradients lie away from the data: exact at inputs on the 8-bit pixel grid (every clean
     * image), negated anywhere else. FGSM, which differentiates at the clean image, works; PGD from a
     * random start climbs the wrong way.
     */
    static DifferentiableClassifier offGridLiar(DifferentiableClassifier model) {
        return new Wrapped(model, (x, g) -> onGrid(x) ? g : g.neg());
    }

    /**
     * Whose gradients go stale: after {@code honest} gradient calls without a prediction in between,
     * they are negated. An attack's first steps work, longer runs walk back.
     */
    static DifferentiableClassifier stale(DifferentiableClassifier model, int honest) {
        int[] calls = {0};
        return new Wrapped(model, (x, g) -> ++calls[0] <= honest ? g : g.neg()) {
            @Override
            public INDArray predict(INDArray x) {
                calls[0] = 0;
                return super.predict(x);
            }
        };
    }

    /**
     * Whose gradients lie far from the data: exact within {@code radius} (L-inf) of the clean batch it
     * last classified, negated beyond. Small budgets are attacked well, large ones badly, so robust
     * accuracy rises with eps.
     */
    static DifferentiableClassifier farLiar(DifferentiableClassifier model, double radius) {
        INDArray[] clean = {null};
        return new Wrapped(model, (x, g) -> clean[0] != null && java.util.Arrays.equals(clean[0].shape(), x.shape())
                && x.sub(clean[0]).amaxNumber().doubleValue() > radius ? g.neg() : g) {
            @Override
            public INDArray predict(INDArray x) {
                if (onGrid(x)) {
                    clean[0] = x.dup();
                }
                return super.predict(x);
            }
        };
    }

    private static boolean onGrid(INDArray x) {
        INDArray scaled = x.castTo(DataType.DOUBLE).mul(255);
        return scaled.sub(org.nd4j.linalg.ops.transforms.Transforms.round(scaled, true)).amaxNumber().doubleValue() < 1e-3;
    }

    /** A model whose gradients pass through {@code rewrite}. */
    static class Wrapped implements DifferentiableClassifier {
        private final DifferentiableClassifier model;
        private final java.util.function.BiFunction<INDArray, INDArray, INDArray> rewrite;

        Wrapped(DifferentiableClassifier model, java.util.function.BiFunction<INDArray, INDArray, INDArray> rewrite) {
            this.model = model;
            this.rewrite = rewrite;
        }

        @Override
        public INDArray predict(INDArray x) {
            return model.predict(x);
        }

        @Override
        public int numClasses() {
            return model.numClasses();
        }

        @Override
        public INDArray lossGradient(INDArray x, INDArray labels) {
            return rewrite.apply(x, model.lossGradient(x, labels));
        }

        @Override
        public LossGradient gradient(INDArray x, Loss loss, INDArray labels) {
            LossGradient pass = model.gradient(x, loss, labels);
            return new LossGradient(rewrite.apply(x, pass.input()), pass.logits());
        }
    }
}
