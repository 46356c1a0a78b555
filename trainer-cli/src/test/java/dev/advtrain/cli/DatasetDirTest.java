package dev.advtrain.cli;

import static dev.advtrain.cli.CliTest.assertUserError;
import static dev.advtrain.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.advtrain.core.data.Cifar10Files;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.ImageFolder;
import dev.advtrain.core.data.ImageFolderFixture;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.suite.SuiteReport;
import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.model.NetworkInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code advtrain evaluate} and {@code attack} on datasets other than MNIST, in-process: an image
 * folder of three colours with a model that names its classes, and a few CIFAR-10 records.
 */
class DatasetDirTest {

    private static final int SIDE = 8;

    @TempDir
    static Path shared;

    static Path folder;
    static List<String> names;
    static Path colourModel;

    @BeforeAll
    static void trainAColourModel() throws IOException {
        folder = shared.resolve("colours");
        names = ImageFolderFixture.write(folder, 3, 10, 12, 4);
        LabeledImages images = ImageFolder.read(folder, SIDE, SIDE, 3).images();
        MultiLayerNetwork net = mlp(3 * SIDE * SIDE, 3, 1);
        net.fit(ImageDataSetIterator.builder(images).batchSize(10).shuffle(1).build(), 15);
        Model withInput = NetworkInput.install(net, 3, SIDE, SIDE, null, null, null);
        colourModel = shared.resolve("colours.zip");
        ModelFiles.write(withInput, colourModel, names);
    }

    private static MultiLayerNetwork mlp(int inputs, int classes, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(inputs)).build());
        network.init();
        return network;
    }

    @Test
    void evaluateOnAnImageFolderNamesTheModelsClasses() throws IOException {
        Path out = shared.resolve("folder-evaluation");
        CliTest.Outcome outcome = run("evaluate", "--model", colourModel.toString(), "--attack", "fgsm", "--eps", "0.02",
                "--no-sanity", "--data-dir", folder.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        SuiteReport report = SuiteReport.read(out.resolve("report.json"));
        assertEquals(30, report.n(), "the whole folder, resized to the model's 8x8 RGB input");
        assertEquals("folder", report.dataset());
        assertTrue(report.cleanAccuracy() > 0.9, "the model tells the colours apart: " + report.cleanAccuracy());
        String html = Files.readString(out.resolve("report.html"));
        for (String name : names) {
            assertTrue(html.contains("<tr><td>" + name + "</td>"), "per-class row of " + name);
            assertTrue(html.contains("<th>" + name + "</th>"), "confusion header of " + name);
        }
        assertTrue(Files.isRegularFile(out.resolve("confusion-linf.png")));
    }

    @Test
    void attackOnAnImageFolderWritesTheClassNamesBesideTheNumbers() throws IOException {
        Path out = shared.resolve("folder-attack");
        CliTest.Outcome outcome = run("attack", "--model", colourModel.toString(), "--attack", "fgsm", "--eps", "0.3",
                "--limit", "20", "--grids", "1", "--data-dir", folder.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        List<String> csv = Files.readAllLines(out.resolve("examples.csv"));
        assertTrue(csv.get(0).startsWith("index,label,target,counted,clean_prediction,clean_confidence,"
                + "adversarial_prediction,adversarial_confidence,success,norm_linf,linf,l2,queries,"), csv.get(0));
        assertTrue(csv.get(0).endsWith(",queries,label_name,adversarial_prediction_name"), csv.get(0));
        assertEquals(21, csv.size());
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            assertEquals(15, cells.length, line);
            assertEquals(names.get(Integer.parseInt(cells[1])), cells[13], "label_name of " + line);
            assertEquals(names.get(Integer.parseInt(cells[6])), cells[14], "adversarial_prediction_name of " + line);
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("folder", summary.get("dataset").asText());
        assertTrue(Files.isRegularFile(out.resolve("grid-001.png")));
    }

    @Test
    void evaluateOnCifar10NeedsOnlyTheTestBatch() throws IOException {
        Path cifar = Files.createDirectories(shared.resolve("cifar"));
        byte[] records = new byte[20 * Cifar10Files.RECORD_BYTES];
        new SplittableRandom(7).nextBytes(records);
        for (int r = 0; r < 20; r++) {
            records[r * Cifar10Files.RECORD_BYTES] = (byte) (r % 10);
        }
        Files.write(cifar.resolve(Cifar10Files.TEST_BATCH), records);
        Path model = shared.resolve("cifar.zip");
        ModelFiles.write(NetworkInput.install(mlp(3 * 32 * 32, 10, 2), 3, 32, 32, null, null, null), model,
                Cifar10Files.CLASS_NAMES);

        Path out = shared.resolve("cifar-evaluation");
        CliTest.Outcome outcome = run("evaluate", "--model", model.toString(), "--attack", "fgsm", "--eps", "0.03",
                "--no-sanity", "--data-dir", cifar.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(20, SuiteReport.read(out.resolve("report.json")).n());
        assertEquals("cifar10", SuiteReport.read(out.resolve("report.json")).dataset());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<tr><td>airplane</td>") && html.contains("<th>truck</th>"), "CIFAR-10 class names");

        // The colour model takes 8x8 images, not CIFAR-10's 32x32: the existing one-line error.
        assertUserError(run("evaluate", "--model", colourModel.toString(), "--data-dir", cifar.toString(), "--out",
                shared.resolve("misfit").toString()), "does not take 32x32x3 images");
        assertFalse(Files.exists(shared.resolve("misfit")));
    }

    @Test
    void aDirectoryWithoutADatasetIsAOneLineUserErrorNamingIt() throws IOException {
        Path empty = Files.createDirectories(shared.resolve("nothing-here"));
        Files.writeString(empty.resolve("README.txt"), "no images");
        assertUserError(run("evaluate", "--model", colourModel.toString(), "--data-dir", empty.toString(), "--out",
                shared.resolve("e1").toString()), "no dataset found in " + empty);
        assertUserError(run("attack", "--model", colourModel.toString(), "--attack", "fgsm", "--data-dir",
                empty.toString(), "--out", shared.resolve("e2").toString()), "no dataset found in " + empty);
        Path missing = shared.resolve("no-such-dir");
        assertUserError(run("attack", "--model", colourModel.toString(), "--attack", "fgsm", "--data-dir",
                missing.toString(), "--out", shared.resolve("e3").toString()), "data directory not found: " + missing);
    }
}
