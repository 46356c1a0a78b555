package dev.advtrain.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.model.KerasModels.ImportedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Keras HDF5 models written by {@code scripts/make-keras-fixtures.py} import with the weights the script
 * wrote: fed advtrain's NCHW-flattened rows, permuted into the layout {@link KerasModels} reports, they
 * give the softmax outputs the script's own numpy forward pass recorded.
 */
class KerasModelsTest {

    private static final double TOLERANCE = 1e-5;

    /** A fixture: the model file and the script's inputs and outputs (KEY.json beside KEY.h5). */
    private record Fixture(Path h5, int channels, int height, int width, int classes, INDArray rows, INDArray expected) {

        static Fixture of(String name) {
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(resource(name + ".json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Fixture(resource(name + ".h5"), json.get("channels").asInt(), json.get("height").asInt(),
                    json.get("width").asInt(), json.get("classes").asInt(),
                    matrix(json.get("inputs_nchw_flat")), matrix(json.get("expected_outputs")));
        }

        private static INDArray matrix(JsonNode rows) {
            float[][] values = new float[rows.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = new float[rows.get(i).size()];
                for (int j = 0; j < values[i].length; j++) {
                    values[i][j] = (float) rows.get(i).get(j).asDouble();
                }
            }
            return Nd4j.create(values);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(KerasModelsTest.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource keras/" + name, e);
        }
    }

    /**
     * advtrain's rows {@code [N, C*H*W]} (channel, row, column; what its trainer and attacks feed) as the
     * array the imported network takes, converted by advtrain's own input step.
     */
    static INDArray toLayout(INDArray rows, PixelInput.Layout layout, int channels, int height, int width) {
        return PixelInput.of(channels, height, width, layout).preProcess(rows, (int) rows.size(0),
                LayerWorkspaceMgr.noWorkspaces());
    }

    private static INDArray output(Model network, INDArray x) {
        return network instanceof MultiLayerNetwork multiLayer
                ? multiLayer.output(x, false)
                : ((ComputationGraph) network).outputSingle(false, x);
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.castTo(b.dataType()).sub(b).amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "mlp,                 MultiLayerNetwork, FLAT_HWC",
        "mlp_rgb,             MultiLayerNetwork, FLAT_HWC",
        "cnn,                 MultiLayerNetwork, NHWC",
        "functional,          ComputationGraph,  NHWC",
        "pool_channels_first, MultiLayerNetwork, NCHW",
        "mlp_channels_first,  MultiLayerNetwork, FLAT_CHW",
    })
    void importsAsTheRightKindWithShapeClassesAndLayout(String name, String kind, PixelInput.Layout layout) {
        Fixture fixture = Fixture.of(name);
        ImportedModel imported = KerasModels.load(fixture.h5());
        assertEquals(kind, imported.network().getClass().getSimpleName());
        assertEquals(fixture.channels(), imported.channels(), "channels");
        assertEquals(fixture.height(), imported.height(), "height");
        assertEquals(fixture.width(), imported.width(), "width");
        assertEquals(fixture.classes(), imported.classes(), "classes");
        assertEquals(layout, imported.layout());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "mlp_rgb", "cnn", "functional", "pool_channels_first", "mlp_channels_first"})
    void advtrainRowsPermutedIntoTheReportedLayoutGiveTheRecordedOutputs(String name) {
        Fixture fixture = Fixture.of(name);
        ImportedModel imported = KerasModels.load(fixture.h5());
        INDArray x = toLayout(fixture.rows(), imported.layout(), imported.channels(), imported.height(), imported.width());
        INDArray p = output(imported.network(), x);
        assertEquals(fixture.expected().shape()[1], p.size(1));
        double diff = maxAbsDifference(p, fixture.expected());
        assertTrue(diff <= TOLERANCE, name + ": max |DL4J - numpy| = " + diff);
    }

    /** With advtrain's input step installed, the imported network takes the rows as they are. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "mlp_rgb", "cnn", "functional", "pool_channels_first", "mlp_channels_first"})
    void withThePixelInputInstalledTheRowsGiveTheRecordedOutputs(String name) {
        Fixture fixture = Fixture.of(name);
        ImportedModel imported = KerasModels.load(fixture.h5());
        Model network = NetworkInput.install(imported.network(), imported.channels(), imported.height(),
                imported.width(), imported.layout(), null, null);
        double diff = maxAbsDifference(output(network, fixture.rows()), fixture.expected());
        assertTrue(diff <= TOLERANCE, name + ": max |DL4J - numpy| = " + diff);
    }

    /** The permutation matters: with three channels, rows fed in the wrong order give other outputs. */
    @ParameterizedTest(name = "{0} fed as {1}")
    @CsvSource({"mlp_rgb, FLAT_CHW", "functional, NCHW", "mlp_channels_first, FLAT_HWC"})
    void anotherOrderOfTheSamePixelsGivesOtherOutputs(String name, PixelInput.Layout wrong) {
        Fixture fixture = Fixture.of(name);
        ImportedModel imported = KerasModels.load(fixture.h5());
        // the wrong layout's order, reshaped to the array shape the network takes
        INDArray x = toLayout(fixture.rows(), wrong, imported.channels(), imported.height(), imported.width())
                .dup('c').reshape(toLayout(fixture.rows(), imported.layout(), imported.channels(),
                        imported.height(), imported.width()).shape());
        assertTrue(maxAbsDifference(output(imported.network(), x), fixture.expected()) > 1e-3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "cnn", "functional"})
    void aFitStepWithCrossEntropyChangesTheParameters(String name) {
        Fixture fixture = Fixture.of(name);
        ImportedModel imported = KerasModels.load(fixture.h5());
        INDArray x = toLayout(fixture.rows(), imported.layout(), imported.channels(), imported.height(), imported.width());
        INDArray labels = Nd4j.zeros(x.dataType(), x.size(0), imported.classes());
        for (int i = 0; i < x.size(0); i++) {
            labels.putScalar(i, i % imported.classes(), 1.0);
        }
        Model network = imported.network();
        INDArray before = network.params().dup();
        OutputLayer output;
        if (network instanceof MultiLayerNetwork multiLayer) {
            output = (OutputLayer) multiLayer.getOutputLayer().conf().getLayer();
            multiLayer.fit(new DataSet(x, labels));
        } else {
            ComputationGraph graph = (ComputationGraph) network;
            output = (OutputLayer) graph.getOutputLayer(0).conf().getLayer();
            graph.fit(new DataSet(x, labels));
        }
        assertInstanceOf(LossMCXENT.class, output.getLossFn());
        assertTrue(Double.isFinite(network.score()), "score " + network.score());
        assertNotEquals(before, network.params());
        assertFalse(network.params().isNaN().any());
    }

    @Test
    void aMissingFileIsAUserError() {
        Path missing = Path.of("no-such-dir", "model.h5");
        assertOneLineNaming(missing, assertThrows(UserErrorException.class, () -> KerasModels.load(missing)));
    }

    @Test
    void aFileThatIsNotHdf5IsAUserError(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("model.h5"), "{\"class_name\": \"Sequential\"}\n");
        UserErrorException e = assertThrows(UserErrorException.class, () -> KerasModels.load(text));
        assertOneLineNaming(text, e);
        assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "weights_only.h5       | without a Keras 'model_config' attribute",
        "lambda_layer.h5       | Lambda",
        "vector_input.h5       | not an image",
        "cnn_channels_first.h5 | channels_first",
        "logits_output.h5      | must end in a Dense layer with softmax activation",
    })
    void filesAdvtrainCannotUseAreOneLineUserErrors(String file, String problem) {
        Path h5 = resource(file);
        UserErrorException e = assertThrows(UserErrorException.class, () -> KerasModels.load(h5));
        assertOneLineNaming(h5, e);
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static void assertOneLineNaming(Path file, UserErrorException e) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
