package dev.advtrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.advtrain.attacks.testing.TinyModels;
import dev.advtrain.core.data.MnistFile;
import dev.advtrain.core.eval.suite.SuiteReport;
import dev.advtrain.core.testing.LearnableMnist;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The {@code advtrain} command end to end, in-process, on a small MNIST-shaped fixture. */
class CliTest {

    @TempDir
    static Path shared;

    static Path data;
    static Path runs;
    static Path config;
    static Path model;

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        data = LearnableMnist.writeAll(shared.resolve("mnist"));
        runs = shared.resolve("runs");
        config = shared.resolve("tiny.yaml");
        Files.writeString(config, String.join("\n",
                "name: tiny",
                "data: {train_limit: 500, validation_size: 100, test_limit: 200}",
                "training: {epochs: 1, batch_size: 50}",
                "validation: {steps: 2}",
                "evaluation:",
                "  attacks:",
                "    - {attack: pgd, eps: 0.1, steps: 3, step_size: 0.04, limit: 50}",
                "output: {runs_dir: " + runs + "}", ""));
        Outcome train = run("train", "--config", config.toString(), "--data-dir", data.toString());
        assertEquals(0, train.code(), train.err());
        model = runs.resolve("tiny").resolve("model.zip");
    }

    @Test
    void trainWritesTheRunAndASummaryTable() throws IOException {
        JsonNode report = new ObjectMapper().readTree(runs.resolve("tiny").resolve("report.json").toFile());
        assertEquals(200, report.get("n").asInt());
        assertTrue(report.get("clean_accuracy").asDouble() > 0.5);
        JsonNode pgd = report.get("results").get(0);
        for (String key : new String[] {"attack", "norm", "eps", "steps", "step_size", "restarts", "n", "robust_accuracy"}) {
            assertTrue(pgd.has(key), "report result lacks " + key);
        }
        assertEquals("linf", pgd.get("norm").asText());
        assertTrue(Files.isRegularFile(runs.resolve("tiny").resolve("metrics.csv")));
    }

    @Test
    void evaluateOneAttackWritesTheReportBesideTheModel() throws IOException {
        Outcome outcome = run("evaluate", "--model", model.toString(), "--attack", "pgd", "--eps", "0.05", "--steps", "4",
                "--step-size", "0.02", "--restarts", "2", "--limit", "40", "--no-sanity", "--data-dir", data.toString());
        assertEquals(0, outcome.code(), outcome.err());
        Path dir = model.getParent().resolve("evaluation-default");
        SuiteReport report = SuiteReport.read(dir.resolve("report.json"));
        assertEquals(40, report.n());
        assertEquals(1, report.results().size());
        SuiteReport.AttackOutcome pgd = report.results().get(0);
        assertEquals("pgd", pgd.attack());
        assertEquals(0.05, pgd.eps(), 1e-12);
        assertEquals(4, pgd.parameters().get("steps"));
        assertEquals(0.02, ((Number) pgd.parameters().get("step_size")).doubleValue(), 1e-12);
        assertEquals(2, pgd.parameters().get("restarts"));
        assertTrue(pgd.parameters().get("seed") instanceof Number, "every attack states its seed: " + pgd.parameters());
        assertTrue(report.sanityChecks().isEmpty(), "--no-sanity");
        assertTrue(outcome.out().contains("Gate: PASSED"), outcome.out());
        assertTrue(Files.readString(dir.resolve("report.html")).contains("pgd"));
        assertTrue(Files.readString(dir.resolve("suite.yaml")).contains("attack: pgd"));
        for (String png : new String[] {"curves-linf.png", "per-class-linf.png", "confusion-linf.png", "examples-linf.png"}) {
            assertTrue(javax.imageio.ImageIO.read(dir.resolve(png).toFile()).getWidth() > 100, png);
        }

        // The same evaluation again would overwrite it: refused, files untouched.
        byte[] before = Files.readAllBytes(dir.resolve("report.json"));
        Outcome again = run("evaluate", "--model", model.toString(), "--attack", "fgsm", "--data-dir", data.toString());
        assertUserError(again, "already exists");
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("report.json")));
    }

    @Test
    void theGateExitsOneBelowTheBarAndZeroAboveIt() throws IOException {
        Path suite = shared.resolve("suite.yaml");
        Files.writeString(suite, String.join("\n",
                "name: tiny-suite",
                "data: {limit: 30}",
                "threats:",
                "  - norm: linf",
                "    eps: 0.1",
                "    epsilons: [0.05, 0.2]",
                "    attacks: [{attack: fgsm}, {attack: pgd, steps: 3}]",
                "sanity: {limit: 20, steps: 2}",
                "defences: {limit: 20, steps: 3, eot_samples: 2, apply: [{type: bit-depth, bits: 2}]}", ""));
        Path pass = shared.resolve("gate-pass");
        Outcome passed = run("evaluate", "--model", model.toString(), "--suite", suite.toString(), "--fail-under", "0.0",
                "--data-dir", data.toString(), "--out", pass.toString());
        assertEquals(0, passed.code(), passed.err());
        SuiteReport report = SuiteReport.read(pass.resolve("report.json"));
        assertEquals("tiny-suite", report.suite());
        assertEquals(6, report.results().size(), "two attacks at three eps");
        assertEquals(3, report.worstCase().size());
        assertEquals(10, report.sanityChecks().size());
        assertEquals(2, report.defences().size(), "the bare model and one defence");
        assertTrue(report.gate().passed());
        assertTrue(Files.isRegularFile(pass.resolve("defences.png")));

        Path fail = shared.resolve("gate-fail");
        Outcome failed = run("evaluate", "--model", model.toString(), "--suite", suite.toString(), "--fail-under", "1.0",
                "--no-sanity", "--data-dir", data.toString(), "--out", fail.toString());
        assertEquals(1, failed.code(), failed.err());
        assertTrue(failed.out().contains("Gate: FAILED"), failed.out());
        assertTrue(failed.out().contains("NOT MET"), failed.out());
        assertFalse(SuiteReport.read(fail.resolve("report.json")).gate().passed());
        assertTrue(Files.readString(fail.resolve("report.html")).contains("FAILED"));
    }

    @Test
    void evaluatesAComputationGraphModel() throws IOException {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("pixels")
                .setInputTypes(InputType.feedForward(784))
                .addLayer("hidden", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "pixels")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build());
        graph.init();
        Path file = shared.resolve("graph.zip");
        ModelSerializer.writeModel(graph, file.toFile(), false);
        Path out = shared.resolve("graph-evaluation");
        Outcome outcome = run("evaluate", "--model", file.toString(), "--attack", "pgd", "--steps", "2", "--limit", "20",
                "--no-sanity", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(20, SuiteReport.read(out.resolve("report.json")).n());
    }

    @Test
    void unknownConfigKeyIsAOneLineUserError() throws IOException {
        Path bad = shared.resolve("bad.yaml");
        Files.writeString(bad, "adversarial:\n  epz: 0.1\n");
        assertUserError(run("train", "--config", bad.toString()), "adversarial.epz");
    }

    @Test
    void outOfRangeOverrideIsAUserError() {
        assertUserError(run("train", "--config", config.toString(), "--set", "adversarial.eps=1.5"), "adversarial.eps");
        assertUserError(run("train", "--config", config.toString(), "--set", "adversarial.mixing.fraction=2"), "fraction");
    }

    @Test
    void sparkRefusesRecipesWithTheirOwnStepsInOneLine() {
        Outcome outcome = run("train", "--config", config.toString(), "--spark", "local[2]", "--set",
                "adversarial.recipe=trades");
        assertUserError(outcome, "adversarial.recipe trades cannot train on Spark");
        assertUserError(run("train", "--resume", shared.resolve("any").toString(), "--spark", "local[2]"), "--spark");
    }

    @Test
    void missingOrCorruptModelIsAUserError() throws IOException {
        assertUserError(run("evaluate", "--model", shared.resolve("nope.zip").toString(), "--data-dir", data.toString()),
                "model file not found");
        Path corrupt = shared.resolve("corrupt.zip");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5});
        assertUserError(run("evaluate", "--model", corrupt.toString(), "--data-dir", data.toString()), "not a DL4J model file");
    }

    @Test
    void modelThatDoesNotFitTheDataIsAUserError() throws IOException {
        Path small = shared.resolve("six-by-six.zip");
        ModelSerializer.writeModel(TinyModels.mlp(1, DataType.FLOAT), small.toFile(), false);
        assertUserError(run("evaluate", "--model", small.toString(), "--data-dir", data.toString(), "--out",
                shared.resolve("r").toString()), "does not take 28x28x1 images");
        assertFalse(Files.exists(shared.resolve("r")));
    }

    @Test
    void corruptDataFileIsAUserErrorNamingTheFile() throws IOException {
        Path broken = Files.createDirectories(shared.resolve("broken"));
        for (MnistFile f : MnistFile.values()) {
            Files.copy(f.in(data), f.in(broken));
        }
        byte[] labels = Files.readAllBytes(MnistFile.TEST_LABELS.in(broken));
        Files.write(MnistFile.TEST_LABELS.in(broken), java.util.Arrays.copyOf(labels, 100));
        Outcome outcome = run("evaluate", "--model", model.toString(), "--data-dir", broken.toString(), "--out",
                shared.resolve("r2").toString());
        assertUserError(outcome, "t10k-labels-idx1-ubyte");
    }

    @Test
    void debugShowsTheStackTrace() {
        Outcome outcome = run("--debug", "evaluate", "--model", shared.resolve("nope.zip").toString());
        assertEquals(2, outcome.code());
        assertTrue(outcome.err().contains("\tat dev.advtrain"), outcome.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, run("evaluate").code(), "--model is required");
        assertEquals(2, run("train", "--bogus").code());
        Outcome unknownAttack = run("evaluate", "--model", model.toString(), "--attack", "deepfoo");
        assertEquals(2, unknownAttack.code());
        assertTrue(unknownAttack.err().contains("deepfool"), "names the known attacks: " + unknownAttack.err());
        assertUserError(run("evaluate", "--model", model.toString(), "--attack", "pgd", "--eps", "1.5", "--data-dir",
                data.toString()), "eps");
        assertUserError(run("evaluate", "--model", model.toString(), "--eps", "0.2"), "--attack");
        assertUserError(run("evaluate", "--model", model.toString(), "--attack", "pgd", "--fail-under", "2"), "--fail-under");
    }

    @Test
    void resumeOfAFinishedRunKeepsItsResults() throws IOException {
        Path dir = runs.resolve("tiny");
        String metrics = Files.readString(dir.resolve("metrics.csv"));
        Outcome outcome = run("train", "--resume", dir.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(metrics, Files.readString(dir.resolve("metrics.csv")));
        assertUserError(run("train", "--resume", dir.toString(), "--set", "training.epochs=3"), "--resume");
        assertUserError(run("train", "--resume", shared.resolve("no-such-run").toString()), "run directory not found");
    }

    @Test
    void finetuneStartsFromTheModelOnADetectedDataDirectory() throws IOException {
        Outcome outcome = run("finetune", "--model", model.toString(), "--data", data.toString(), "--config",
                config.toString(), "--set", "adversarial.recipe=pgd-at", "--set", "adversarial.steps=2",
                "--set", "finetune.freeze=1");
        assertEquals(0, outcome.code(), outcome.err());
        Path run = runs.resolve("finetune-model");
        String saved = Files.readString(run.resolve("config.yaml"));
        assertTrue(saved.contains("file: \"" + model + "\"") || saved.contains("file: " + model), saved);
        assertTrue(saved.contains("dataset: \"auto\"") || saved.contains("dataset: auto"), saved);
        assertTrue(Files.isRegularFile(run.resolve("model.zip")));
        assertTrue(outcome.out().contains("Run " + run), outcome.out());
    }

    @Test
    void finetuneMistakesAreOneLineUserErrors() throws IOException {
        assertUserError(run("finetune", "--model", shared.resolve("nope.zip").toString(), "--data", data.toString(),
                "--config", config.toString(), "--set", "name=nope"), "model file not found");
        Path empty = Files.createDirectories(shared.resolve("no-data"));
        assertUserError(run("finetune", "--model", model.toString(), "--data", empty.toString(), "--config",
                config.toString(), "--set", "name=no-data"), "no dataset found in " + empty);
        assertUserError(run("finetune", "--model", model.toString(), "--data", data.toString(), "--config",
                config.toString(), "--set", "name=frozen-all", "--set", "finetune.freeze=9"), "finetune.freeze must be less");
        assertEquals(2, run("finetune", "--data", data.toString()).code(), "--model is required");
    }

    @Test
    void sweepRunsCandidatesResumesAndWritesABestConfigThatTrains() throws IOException {
        Path sweep = shared.resolve("sweep.yaml");
        Files.writeString(sweep, String.join("\n",
                "name: cli-sweep",
                "runs_dir: '" + runs + "'",
                "base: tiny.yaml",
                "set: {data.dir: '" + data + "'}",
                "search: {method: grid}",
                "space: {training.learning_rate: {values: [0.002, 0.004]}}", ""));
        Outcome outcome = run("sweep", "--config", sweep.toString());
        assertEquals(0, outcome.code(), outcome.err());
        Path dir = runs.resolve("cli-sweep");
        assertTrue(outcome.out().contains("Sweep " + dir + ": 2 candidates, 2 finished, 0 failed"), outcome.out());
        Path best = dir.resolve("best-config.yaml");
        assertTrue(outcome.out().contains("train it again with: advtrain train --config " + best), outcome.out());

        Outcome resumed = run("sweep", "--resume", dir.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("2 candidates, 2 finished"), resumed.out());
        assertFalse(Files.exists(dir.resolve("candidates/candidate-003")));

        Outcome trained = run("train", "--config", best.toString());
        assertEquals(0, trained.code(), trained.err());
        assertTrue(Files.isRegularFile(runs.resolve("cli-sweep-best").resolve("model.zip")));

        assertUserError(run("sweep", "--resume", dir.toString(), "--set", "search.seed=3"),
                "a resumed sweep keeps its search");
        assertEquals(2, run("sweep").code(), "--config or --resume is required");
        Files.writeString(sweep, Files.readString(sweep).replace("name: cli-sweep", "name: cli-sweep-bad")
                .replace("training.learning_rate: {values: [0.002, 0.004]}", "adversarial.eps: {values: [1.5, 2.0]}"));
        assertUserError(run("sweep", "--config", sweep.toString()), "no candidate of the sweep finished (candidate 1:"
                + " invalid config: adversarial.eps=1.5: adversarial.eps must be in [0, 1]");
    }

    /** Exit code 2 and one line on stderr, starting {@code advtrain: } and naming {@code mentions}. */
    static void assertUserError(Outcome outcome, String mentions) {
        assertEquals(2, outcome.code(), outcome.err());
        String err = outcome.err().strip();
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("advtrain: "), err);
        assertTrue(err.contains(mentions), err);
    }
}
