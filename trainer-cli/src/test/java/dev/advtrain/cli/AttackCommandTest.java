package dev.advtrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.advtrain.cli.CliTest.assertUserError;
import static dev.advtrain.cli.CliTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistData;
import dev.advtrain.core.testing.LearnableMnist;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code advtrain attack} end to end, in-process: two small MLPs trained in a second on the
 * learnable MNIST-shaped fixture, attacked on the first few dozen test images. Every file the
 * command writes is read back and checked against a re-evaluation of the adversarial images.
 */
class AttackCommandTest {

    @TempDir
    static Path shared;

    static Path data;
    static Path model;
    static Path surrogate;
    static LabeledImages test;
    static MultiLayerNetwork net;

    @BeforeAll
    static void trainTwoModels() throws IOException {
        data = LearnableMnist.writeAll(shared.resolve("mnist"));
        MnistData mnist = MnistData.load(data, false);
        test = mnist.test();
        net = train(mnist.train().first(1000), 1);
        model = shared.resolve("model.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        surrogate = shared.resolve("surrogate.zip");
        ModelSerializer.writeModel(train(mnist.train().range(1000, 2000), 2), surrogate.toFile(), false);
    }

    private static MultiLayerNetwork train(LabeledImages images, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784)).build());
        network.init();
        network.fit(ImageDataSetIterator.builder(images).batchSize(50).shuffle(seed).build(), 2);
        return network;
    }

    @Test
    void untargetedAttackWritesArraysGridsAndASummaryThatAgree() throws IOException {
        Path out = shared.resolve("pgd");
        CliTest.Outcome outcome = run("attack", "--model", model.toString(), "--attack", "pgd", "--eps", "0.3", "--steps", "5",
                "--limit", "40", "--batch-size", "16", "--grids", "2", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("success rate"), outcome.out());

        INDArray adversarial = Nd4j.createFromNpyFile(out.resolve("adversarial.npy").toFile());
        INDArray original = Nd4j.createFromNpyFile(out.resolve("original.npy").toFile());
        assertArrayEquals(new long[] {40, 1, 28, 28}, adversarial.shape());
        assertEquals(DataType.FLOAT, adversarial.dataType());
        assertArrayEquals(new long[] {40, 1, 28, 28}, original.shape());
        INDArray clean = firstImages(40);
        assertEquals(0.0, original.reshape(40, 784).sub(clean).amaxNumber().doubleValue(), 0.0, "original.npy is the test images");
        double linf = adversarial.sub(original).amaxNumber().doubleValue();
        assertTrue(linf <= 0.3 + 1e-6 && linf > 0.1, "perturbation within eps and not trivial: " + linf);
        assertTrue(adversarial.minNumber().doubleValue() >= 0 && adversarial.maxNumber().doubleValue() <= 1);

        int[] labels = ints(out.resolve("labels.npy"));
        assertArrayEquals(java.util.Arrays.copyOf(test.labels(), 40), labels);
        int[] predicted = predict(adversarial);
        assertArrayEquals(predicted, ints(out.resolve("predictions.npy")), "predictions.npy is the model's verdict");
        int[] cleanPredicted = predict(original);

        JsonNode summary = json(out.resolve("summary.json"));
        assertEquals(40, summary.get("n").asInt());
        assertEquals("pgd", summary.get("attack").asText());
        assertEquals("untargeted", summary.get("targeting").asText());
        JsonNode params = summary.get("parameters");
        assertEquals(0.3, params.get("eps").asDouble(), 1e-12);
        assertEquals(5, params.get("steps").asInt());
        assertEquals("linf", params.get("norm").asText());
        assertEquals(0.075, params.get("step_size").asDouble(), 1e-9, "the default 0.25 eps, resolved");
        assertEquals(1, params.get("restarts").asInt());
        assertEquals(42, summary.get("seed").asLong());
        assertEquals(model.toString(), summary.get("model").asText());
        assertTrue(summary.get("surrogate").isNull());
        assertEquals(5.0, summary.get("mean_queries").asDouble(), 1e-12, "one gradient pass per step");

        int cleanCorrect = 0;
        int fooled = 0;
        int fooledAll = 0;
        for (int i = 0; i < 40; i++) {
            boolean correct = cleanPredicted[i] == labels[i];
            cleanCorrect += correct ? 1 : 0;
            fooled += correct && predicted[i] != labels[i] ? 1 : 0;
            fooledAll += predicted[i] != labels[i] ? 1 : 0;
        }
        assertEquals(cleanCorrect / 40.0, summary.get("clean_accuracy").asDouble(), 1e-12);
        assertEquals((double) fooled / cleanCorrect, summary.get("success_rate_clean_correct").asDouble(), 1e-12);
        assertEquals(fooledAll / 40.0, summary.get("success_rate_overall").asDouble(), 1e-12);
        assertEquals((cleanCorrect - fooled) / 40.0, summary.get("robust_accuracy").asDouble(), 1e-12);
        assertTrue(cleanCorrect >= 36, "the model learnt the task: " + cleanCorrect + "/40");
        assertTrue(summary.get("success_rate_clean_correct").asDouble() > 0.5, "eps 0.3 breaks this model: " + summary);
        JsonNode linfStats = summary.get("perturbation").get("all").get("linf");
        assertEquals(linf, linfStats.get("max").asDouble(), 1e-6);
        assertTrue(summary.get("perturbation").get("all").has("l2"));

        // 40 examples would fill three grids of 16; --grids 2 keeps two. Each is readable and enlarged.
        for (String name : List.of("grid-001.png", "grid-002.png")) {
            BufferedImage png = ImageIO.read(out.resolve(name).toFile());
            assertTrue(png.getWidth() >= 4 * 3 * 28 * 3 && png.getHeight() >= 4 * 28 * 3,
                    name + " is " + png.getWidth() + "x" + png.getHeight());
        }
        assertFalse(Files.exists(out.resolve("grid-003.png")));
        List<String> csv = Files.readAllLines(out.resolve("examples.csv"));
        assertEquals(41, csv.size());
        assertTrue(csv.get(0).startsWith("index,label,target,counted,"), csv.get(0));
    }

    @Test
    void targetedNextClassAimsEachExampleAtTheFollowingClass() throws IOException {
        Path out = shared.resolve("next");
        CliTest.Outcome outcome = run("attack", "--model", model.toString(), "--attack", "pgd", "--eps", "0.3", "--steps", "10",
                "--targeted", "next", "--limit", "30", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        int[] labels = ints(out.resolve("labels.npy"));
        int[] targets = ints(out.resolve("targets.npy"));
        int[] predicted = predict(Nd4j.createFromNpyFile(out.resolve("adversarial.npy").toFile()));
        int reached = 0;
        for (int i = 0; i < 30; i++) {
            assertEquals((labels[i] + 1) % 10, targets[i]);
            reached += predicted[i] == targets[i] ? 1 : 0;
        }
        JsonNode summary = json(out.resolve("summary.json"));
        assertEquals("next class", summary.get("targeting").asText());
        assertEquals(30, summary.get("n_counted").asInt());
        assertEquals(reached, summary.get("n_successful").asInt());
        assertEquals(reached / 30.0, summary.get("success_rate_overall").asDouble(), 1e-12);
        assertTrue(reached >= 15, "targeted PGD at eps 0.3 reaches most targets: " + reached + "/30");
    }

    @Test
    void universalAttacksFitOnePerturbationOverAllImagesByDefault() throws IOException {
        Path out = shared.resolve("uap");
        CliTest.Outcome outcome = run("attack", "--model", model.toString(), "--attack", "uap", "--eps", "0.2", "--steps", "2",
                "--limit", "130", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(130, json(out.resolve("summary.json")).get("batch_size").asInt());
        // More images than the usual batch of 100, yet one delta for every image: where neither image was clipped, every image moved by the same amount.
        INDArray original = Nd4j.createFromNpyFile(out.resolve("original.npy").toFile()).reshape(130, -1);
        INDArray delta = Nd4j.createFromNpyFile(out.resolve("adversarial.npy").toFile()).reshape(130, -1).sub(original);
        int compared = 0;
        for (int j = 0; j < original.size(1); j++) {
            double first = Double.NaN;
            for (int i = 0; i < 130; i++) {
                double x = original.getDouble(i, j);
                double adv = x + delta.getDouble(i, j);
                if (adv > 1e-6 && adv < 1 - 1e-6) {
                    if (Double.isNaN(first)) {
                        first = delta.getDouble(i, j);
                    } else {
                        assertEquals(first, delta.getDouble(i, j), 1e-5, "pixel " + j + " moved differently in image " + i);
                        compared++;
                    }
                }
            }
        }
        assertTrue(compared > 100, "too few unclipped pixels to compare: " + compared);
    }

    @Test
    void thePatchAttackWritesThePrintablePatch() throws IOException {
        Path out = shared.resolve("patch");
        CliTest.Outcome outcome = run("attack", "--model", model.toString(), "--attack", "patch", "--norm", "l0",
                "--eps", "0.1", "--steps", "5", "--limit", "20", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        java.awt.image.BufferedImage patch = javax.imageio.ImageIO.read(out.resolve("patch.png").toFile());
        int side = (int) Math.floor(Math.sqrt(0.1 * 28 * 28)); // the share of the image the patch may cover
        assertEquals(side * 16, patch.getWidth());
        assertEquals(side * 16, patch.getHeight());
        // Outside the patch nothing changed; inside, at most the patch's pixels did.
        INDArray changed = Nd4j.createFromNpyFile(out.resolve("adversarial.npy").toFile())
                .sub(Nd4j.createFromNpyFile(out.resolve("original.npy").toFile())).reshape(20, -1).neq(0.0)
                .castTo(DataType.FLOAT).sum(1);
        assertTrue(changed.maxNumber().intValue() <= side * side, "more pixels changed than the patch has: " + changed);
    }

    @Test
    void targetedFixedClassLeavesThatClassOutOfTheRates() throws IOException {
        Path out = shared.resolve("class3");
        CliTest.Outcome outcome = run("attack", "--model", model.toString(), "--attack", "fgsm", "--eps", "0.3", "--target", "3",
                "--limit", "30", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        int[] labels = ints(out.resolve("labels.npy"));
        int[] predicted = predict(Nd4j.createFromNpyFile(out.resolve("adversarial.npy").toFile()));
        int counted = 0;
        int reached = 0;
        for (int i = 0; i < 30; i++) {
            if (labels[i] != 3) {
                counted++;
                reached += predicted[i] == 3 ? 1 : 0;
            }
        }
        assertTrue(counted < 30, "the fixture has some 3s among the first 30");
        JsonNode summary = json(out.resolve("summary.json"));
        assertEquals("class 3", summary.get("targeting").asText());
        assertEquals(counted, summary.get("n_counted").asInt());
        assertEquals((double) reached / counted, summary.get("success_rate_overall").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("examples.csv")).contains(",3,3,false,"), "a 3 is marked not counted");
    }

    @Test
    void transferCraftsOnTheSurrogateAndJudgesTheModel() throws IOException {
        Path transfer = shared.resolve("transfer");
        CliTest.Outcome outcome = run("attack", "--model", model.toString(), "--surrogate", surrogate.toString(), "--attack", "pgd",
                "--eps", "0.3", "--steps", "5", "--limit", "30", "--data-dir", data.toString(), "--out", transfer.toString());
        assertEquals(0, outcome.code(), outcome.err());
        // The same attack run white-box on the surrogate crafts exactly the same images (same seed, batches).
        Path onSurrogate = shared.resolve("on-surrogate");
        assertEquals(0, run("attack", "--model", surrogate.toString(), "--attack", "pgd", "--eps", "0.3", "--steps", "5",
                "--limit", "30", "--data-dir", data.toString(), "--out", onSurrogate.toString()).code());
        INDArray adversarial = Nd4j.createFromNpyFile(transfer.resolve("adversarial.npy").toFile());
        assertEquals(adversarial, Nd4j.createFromNpyFile(onSurrogate.resolve("adversarial.npy").toFile()));

        // ... but success is judged on --model.
        int[] labels = ints(transfer.resolve("labels.npy"));
        int[] predicted = predict(adversarial);
        assertArrayEquals(predicted, ints(transfer.resolve("predictions.npy")));
        int fooled = 0;
        for (int i = 0; i < 30; i++) {
            fooled += predicted[i] != labels[i] ? 1 : 0;
        }
        JsonNode summary = json(transfer.resolve("summary.json"));
        assertEquals(surrogate.toString(), summary.get("surrogate").asText());
        assertEquals(0.0, summary.get("mean_queries").asDouble(), "a transfer attack never queries the target");
        assertEquals(fooled / 30.0, summary.get("success_rate_overall").asDouble(), 1e-12);
        int[] cleanPredicted = predict(Nd4j.createFromNpyFile(transfer.resolve("original.npy").toFile()));
        int cleanCorrect = 0;
        for (int i = 0; i < 30; i++) {
            cleanCorrect += cleanPredicted[i] == labels[i] ? 1 : 0;
        }
        assertEquals(cleanCorrect / 30.0, summary.get("clean_accuracy").asDouble(), 1e-12);
    }

    @Test
    void helpListsTheCatalogue() {
        CliTest.Outcome help = run("attack", "--help");
        assertEquals(0, help.code());
        // picocli wraps the description: compare with the line breaks folded away.
        assertTrue(help.out().replaceAll("\\s+", " ").contains(String.join(", ", AttackCatalog.names())), help.out());
    }

    @Test
    void userErrorsAreOneLineWithExitCode2() throws IOException {
        String[] common = {"--model", model.toString(), "--data-dir", data.toString(), "--limit", "5"};
        assertUserError(run(concat(common, "attack", "--attack", "deepfoolx", "--out", shared.resolve("e1").toString())),
                "unknown attack 'deepfoolx'; known: " + String.join(", ", AttackCatalog.names()));
        assertUserError(run(concat(common, "attack", "--attack", "pgd", "--norm", "l7", "--eps", "1", "--out",
                shared.resolve("e2").toString())), "unknown norm 'l7'");
        assertUserError(run(concat(common, "attack", "--attack", "pgd", "--norm", "l2", "--out",
                shared.resolve("e3").toString())), "give --eps for the l2 threat model");
        assertUserError(run(concat(common, "attack", "--attack", "pgd", "--eps", "-0.1", "--out",
                shared.resolve("e4").toString())), "--eps must be >= 0");
        assertUserError(run(concat(common, "attack", "--attack", "pgd", "--steps", "zero", "--out",
                shared.resolve("e5").toString())), "--steps");
        assertUserError(run(concat(common, "attack", "--attack", "pgd", "--steps", "0", "--out",
                shared.resolve("e6").toString())), "steps must be >= 1");
        assertUserError(run(concat(common, "attack", "--attack", "pgd", "--target", "12", "--out",
                shared.resolve("e7").toString())), "target class 12 is outside 0..9");
        assertUserError(run("attack", "--model", shared.resolve("none.zip").toString(), "--attack", "pgd", "--out",
                shared.resolve("e8").toString()), "model file not found");
        for (int i = 1; i <= 8; i++) {
            assertFalse(Files.exists(shared.resolve("e" + i)), "no output directory for a refused run");
        }

        Path taken = Files.createDirectories(shared.resolve("taken"));
        Files.writeString(taken.resolve("notes.txt"), "mine");
        assertUserError(run(concat(common, "attack", "--attack", "fgsm", "--out", taken.toString())), "not empty");
        assertEquals(List.of(taken.resolve("notes.txt")), Files.list(taken).toList());
        assertEquals("mine", Files.readString(taken.resolve("notes.txt")));
    }

    private static String[] concat(String[] common, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + common.length);
        System.arraycopy(common, 0, all, args.length, common.length);
        return all;
    }

    private static INDArray firstImages(int n) {
        return ImageDataSetIterator.builder(test).batchSize(n).build().next().getFeatures();
    }

    private static int[] predict(INDArray images) {
        INDArray flat = images.reshape(images.size(0), 784);
        return Nd4j.argMax(net.output(flat, false), 1).toIntVector();
    }

    private static int[] ints(Path npy) {
        return Nd4j.createFromNpyFile(npy.toFile()).toIntVector();
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }
}
