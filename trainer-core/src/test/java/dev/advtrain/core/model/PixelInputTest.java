package dev.advtrain.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.LinfNorm;
import dev.advtrain.attacks.ProjectedGradientDescent;
import dev.advtrain.attacks.StepSize;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.UserErrorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PixelInputTest {

    private static final int C = 2;
    private static final int H = 5;
    private static final int W = 4;
    private static final int CLASSES = 3;
    private static final double[] MEAN = {0.4, 0.6};
    private static final double[] STD = {0.2, 0.5};

    @Test
    void everyLayoutPutsEachPixelWhereTheNetworkExpectsIt() {
        INDArray rows = Nd4j.arange(2 * C * H * W).castTo(DataType.DOUBLE).reshape(2, C * H * W);
        LayerWorkspaceMgr noWorkspace = LayerWorkspaceMgr.noWorkspaces();
        INDArray nchw = PixelInput.of(C, H, W, PixelInput.Layout.NCHW).preProcess(rows, 2, noWorkspace);
        INDArray nhwc = PixelInput.of(C, H, W, PixelInput.Layout.NHWC).preProcess(rows, 2, noWorkspace);
        INDArray flatHwc = PixelInput.of(C, H, W, PixelInput.Layout.FLAT_HWC).preProcess(rows, 2, noWorkspace);
        assertArrayEquals(new long[] {2, C, H, W}, nchw.shape());
        assertArrayEquals(new long[] {2, H, W, C}, nhwc.shape());
        assertArrayEquals(new long[] {2, H * W * C}, flatHwc.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < C; c++) {
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        double pixel = rows.getDouble(n, (c * H + h) * W + w);
                        assertEquals(pixel, nchw.getDouble(n, c, h, w));
                        assertEquals(pixel, nhwc.getDouble(n, h, w, c));
                        assertEquals(pixel, flatHwc.getDouble(n, (h * W + w) * C + c));
                    }
                }
            }
        }
        assertEquals(rows, PixelInput.of(C, H, W, PixelInput.Layout.FLAT_CHW).preProcess(rows, 2, noWorkspace));
    }

    @Test
    void backpropIsTheTransposeOfEveryLayoutChangeAndScalesByTheInverseStd() {
        INDArray rows = random(3, 1);
        for (PixelInput.Layout layout : PixelInput.Layout.values()) {
            PixelInput input = PixelInput.of(C, H, W, layout).normalized(MEAN, STD);
            INDArray out = input.preProcess(rows, 3, LayerWorkspaceMgr.noWorkspaces());
            INDArray upstream = Nd4j.rand(DataType.DOUBLE, out.shape());
            INDArray back = input.backprop(upstream, 3, LayerWorkspaceMgr.noWorkspaces());
            // <upstream, J v> = <J^T upstream, v> for the linear part J, for a random direction v.
            INDArray v = random(3, 2);
            INDArray jv = input.preProcess(rows.add(v), 3, LayerWorkspaceMgr.noWorkspaces()).sub(out);
            double lhs = upstream.mul(jv).sumNumber().doubleValue();
            double rhs = back.mul(v).sumNumber().doubleValue();
            assertEquals(lhs, rhs, 1e-9 * Math.abs(lhs), layout.name());
            assertArrayEquals(rows.shape(), back.shape(), layout.name());
        }
    }

    @Test
    void normalisesEachChannelWithItsOwnMeanAndStd() {
        INDArray rows = random(2, 3);
        INDArray out = PixelInput.of(C, H, W, PixelInput.Layout.NCHW).normalized(MEAN, STD)
                .preProcess(rows, 2, LayerWorkspaceMgr.noWorkspaces());
        for (int c = 0; c < C; c++) {
            double pixel = rows.getDouble(1, (c * H + 2) * W + 3);
            assertEquals((pixel - MEAN[c]) / STD[c], out.getDouble(1, c, 2, 3), 1e-12);
        }
    }

    @Test
    void refusesMismatchedStatisticsAndRows() {
        assertThrows(IllegalArgumentException.class,
                () -> PixelInput.of(C, H, W, PixelInput.Layout.NCHW).normalized(new double[] {0.5}, new double[] {0.2}));
        assertThrows(IllegalArgumentException.class,
                () -> PixelInput.of(C, H, W, PixelInput.Layout.NCHW).normalized(MEAN, new double[] {0.2, 0}));
        assertThrows(IllegalArgumentException.class, () -> PixelInput.of(C, H, W, PixelInput.Layout.NCHW)
                .preProcess(Nd4j.zeros(2, C * H * W + 1), 2, LayerWorkspaceMgr.noWorkspaces()));
    }

    /**
     * The point of normalising inside the model: PGD on raw pixels against the model with the
     * normalisation inside equals PGD run by hand against the bare network in normalised units (eps,
     * step and pixel bounds divided by std), mapped back to pixels.
     */
    @Test
    void attackingTheModelWithNormalisationInsideEqualsAttackingTheNormalisedNetworkByHand() {
        double mean = 0.1307;
        double std = 0.3081;
        MultiLayerNetwork bare = cnn(1, CNN2DFormat.NCHW);
        Model inside = NetworkInput.install(bare, 1, H, W, null, new double[] {mean}, new double[] {std});
        INDArray x = random(8, 5).getColumns(java.util.stream.IntStream.range(0, H * W).toArray());
        INDArray labels = oneHot(8, 6);
        double eps = 0.1;
        double step = 0.02;
        INDArray viaInside = ProjectedGradientDescent.builder().norm(LinfNorm.INSTANCE).eps(eps).steps(7)
                .stepSize(StepSize.absolute(step)).randomStart(false).build()
                .generate(Classifiers.of(inside), x, Criterion.untargeted(labels)).adversarial();
        INDArray normalisedX = x.sub(mean).div(std);
        INDArray byHand = ProjectedGradientDescent.builder().norm(LinfNorm.INSTANCE).eps(eps / std).steps(7)
                .stepSize(StepSize.absolute(step / std)).randomStart(false).clip(-mean / std, (1 - mean) / std).build()
                .generate(Classifiers.of(bare), normalisedX, Criterion.untargeted(labels)).adversarial()
                .mul(std).add(mean);
        assertTrue(viaInside.sub(x).amaxNumber().doubleValue() > eps / 2, "the attack moved the pixels");
        assertEquals(0, viaInside.sub(byHand).amaxNumber().doubleValue(), 1e-9);
        assertEquals(0, bare.output(normalisedX).sub(((MultiLayerNetwork) inside).output(x)).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void inputGradientThroughTheNormalisationMatchesFiniteDifferences() {
        MultiLayerNetwork network = (MultiLayerNetwork) NetworkInput.install(cnn(C, CNN2DFormat.NHWC), C, H, W,
                null, MEAN, STD);
        INDArray x = random(2, 7);
        INDArray labels = oneHot(2, 8);
        INDArray gradient = network.calculateGradients(x, labels, null, null).getSecond();
        double h = 1e-6;
        for (int i : new int[] {0, 7, 21, 39}) {
            INDArray plus = x.dup();
            plus.putScalar(1, i, x.getDouble(1, i) + h);
            INDArray minus = x.dup();
            minus.putScalar(1, i, x.getDouble(1, i) - h);
            double numeric = (score(network, plus, labels) - score(network, minus, labels)) / (2 * h);
            assertEquals(numeric, gradient.getDouble(1, i), 1e-6 + 1e-5 * Math.abs(numeric), "pixel " + i);
        }
    }

    @Test
    void installingKeepsWeightsUpdaterStateAndOutputsAndReplacesDl4jsReshape() {
        MultiLayerNetwork network = cnn(C, CNN2DFormat.NCHW);
        INDArray x = random(4, 9);
        network.fit(new DataSet(x, oneHot(4, 10)));
        assertInstanceOf(FeedForwardToCnnPreProcessor.class, network.getLayerWiseConfigurations().getInputPreProcess(0));
        MultiLayerNetwork installed = (MultiLayerNetwork) NetworkInput.install(network, C, H, W, null, null, null);
        assertEquals(new PixelInput(C, H, W, PixelInput.Layout.NCHW, null, null), NetworkInput.of(installed));
        assertNull(NetworkInput.of(network), "the original is left as it was");
        assertEquals(network.params(), installed.params());
        assertEquals(network.getUpdater().getStateViewArray(), installed.getUpdater().getStateViewArray());
        assertEquals(network.getIterationCount(), installed.getIterationCount());
        assertEquals(network.output(x), installed.output(x));
    }

    @Test
    void aGraphGetsThePixelInputOnTheLayersItsInputFeeds() {
        MultiLayerNetwork network = cnn(C, CNN2DFormat.NHWC);
        ComputationGraph graph = network.toComputationGraph();
        ComputationGraph installed = (ComputationGraph) NetworkInput.install(graph, C, H, W, null, MEAN, STD);
        MultiLayerNetwork reference = (MultiLayerNetwork) NetworkInput.install(network, C, H, W, null, MEAN, STD);
        assertEquals(PixelInput.Layout.NHWC, NetworkInput.of(installed).layout());
        INDArray x = random(3, 11);
        assertEquals(reference.output(x), installed.outputSingle(x));
    }

    @Test
    void aDenseFirstLayerTakesFlatPixels() {
        MultiLayerNetwork mlp = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(C * H * W))
                .build());
        mlp.init();
        MultiLayerNetwork installed = (MultiLayerNetwork) NetworkInput.install(mlp, C, H, W, null, MEAN, STD);
        assertEquals(PixelInput.Layout.FLAT_CHW, NetworkInput.of(installed).layout());
        INDArray x = random(2, 12);
        INDArray normalised = x.dup();
        for (int c = 0; c < C; c++) {
            INDArray plane = normalised.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(c * H * W, (c + 1) * H * W));
            plane.subi(MEAN[c]).divi(STD[c]);
        }
        assertEquals(0, mlp.output(normalised).sub(installed.output(x)).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void aMisfitNamesTheModelsAndTheDatasShapes() {
        MultiLayerNetwork network = cnn(C, CNN2DFormat.NCHW);
        UserErrorException wrongShape = assertThrows(UserErrorException.class,
                () -> NetworkInput.install(network, 3, 32, 32, null, null, null));
        assertEquals("the model takes 2x5x4 images, the data has 3x32x32", wrongShape.getMessage());
        MultiLayerNetwork nhwc = cnn(C, CNN2DFormat.NHWC);
        UserErrorException wrongChannels = assertThrows(UserErrorException.class,
                () -> NetworkInput.install(nhwc, 1, H, W, null, null, null));
        assertTrue(wrongChannels.getMessage().startsWith("the model's first layer takes 2 channels"),
                wrongChannels.getMessage());
    }

    @Test
    void survivesSavingAndLoading(@TempDir Path dir) throws Exception {
        Model installed = NetworkInput.install(cnn(C, CNN2DFormat.NHWC), C, H, W, null, MEAN, STD);
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(installed, file.toFile(), true);
        assertTrue(Files.size(file) > 0);
        MultiLayerNetwork loaded = (MultiLayerNetwork) ModelFiles.load(file, true);
        assertEquals(NetworkInput.of(installed), NetworkInput.of(loaded));
        assertFalse(NetworkInput.of(loaded).layout() == PixelInput.Layout.NCHW);
        INDArray x = random(2, 13);
        assertEquals(((MultiLayerNetwork) installed).output(x), loaded.output(x));
    }

    /** conv 3x3 (format as given) -> dense 8 -> softmax 3, float64, fixed seed; takes [N, C*H*W]. */
    private static MultiLayerNetwork cnn(int channels, CNN2DFormat format) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.01))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(format).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(format == CNN2DFormat.NHWC ? InputType.convolutional(H, W, channels, format)
                        : InputType.convolutionalFlat(H, W, channels))
                .build());
        network.init();
        return network;
    }

    private static double score(MultiLayerNetwork network, INDArray x, INDArray labels) {
        return network.score(new DataSet(x, labels), false) * x.size(0);
    }

    private static INDArray random(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] values = new double[rows][C * H * W];
        for (double[] row : values) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextDouble();
            }
        }
        return Nd4j.create(values);
    }

    private static INDArray oneHot(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, CLASSES);
        for (int r = 0; r < rows; r++) {
            labels.putScalar(r, random.nextInt(CLASSES), 1.0);
        }
        return labels;
    }
}
