import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.advtrain.core.Progress;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.config.AttackName;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistData;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.model.KerasModels;
import dev.advtrain.core.model.NetworkInput;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks a Keras model written by bench/torch-to-keras-mnist.py as advtrain imports it, before any
 * fine-tuning: the largest softmax difference to PyTorch on the recorded images, clean accuracy on the
 * MNIST test set with and without the normalisation inside the model, and robust accuracy under the
 * PGD of configs/mnist-keras-finetune.yaml's evaluation (same attack, same seed, same images), so the
 * numbers compare with the report of `advtrain finetune`. docs/results.md has the run.
 *
 * Run from the repository root with the CLI's classpath (Java 17 runs a single source file directly):
 *
 *   CP=trainer-cli/target/trainer-cli-0.1.0-SNAPSHOT.jar:$(cat trainer-cli/target/classpath.txt)
 *   OMP_NUM_THREADS=1 java -cp "$CP" bench/KerasImportCheck.java runs/torch-mnist.h5 data/mnist [PGD_IMAGES]
 *
 * The JSON beside the .h5 (same name) holds the recorded inputs and PyTorch's outputs.
 */
public class KerasImportCheck {

    static final double[] MEAN = {0.1307};
    static final double[] STD = {0.3081};
    static final long SEED = 7;              // configs/mnist-keras-finetune.yaml's seed: its evaluation's attacks

    public static void main(String[] args) throws Exception {
        Path h5 = Path.of(args[0]);
        Path dataDir = Path.of(args.length > 1 ? args[1] : "data/mnist");
        int pgdImages = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        JsonNode record = new ObjectMapper().readTree(
                Path.of(h5.toString().replaceFirst("\\.h5$", ".json")).toFile());
        LabeledImages test = MnistData.load(dataDir, false).test();

        KerasModels.ImportedModel imported = KerasModels.load(h5);
        System.out.println("imported: layout " + imported.layout() + ", " + imported.network().numParams() + " parameters");
        Model normalised = NetworkInput.install(imported.network(), 1, 28, 28, imported.layout(), MEAN, STD);
        Model raw = NetworkInput.install(KerasModels.load(h5).network(), 1, 28, 28, imported.layout(), null, null);

        // The recorded images: pixel rows in [0, 1], channel-row-column order (what advtrain feeds).
        JsonNode inputs = record.get("inputs_nchw_flat");
        JsonNode expected = record.get("expected_outputs");
        double[][] rows = new double[inputs.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[inputs.get(i).size()];
            for (int p = 0; p < rows[i].length; p++) {
                rows[i][p] = inputs.get(i).get(p).asDouble();
            }
        }
        INDArray out = output(normalised, Nd4j.createFromArray(rows).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        double maxDiff = 0;
        int agree = 0;
        for (int i = 0; i < rows.length; i++) {
            int torchArgmax = 0;
            for (int k = 0; k < out.columns(); k++) {
                maxDiff = Math.max(maxDiff, Math.abs(out.getDouble(i, k) - expected.get(i).get(k).asDouble()));
                torchArgmax = expected.get(i).get(k).asDouble() > expected.get(i).get(torchArgmax).asDouble() ? k : torchArgmax;
            }
            agree += out.getRow(i).argMax().getInt(0) == torchArgmax ? 1 : 0;
        }
        System.out.printf("PyTorch test accuracy (recorded): %.4f%n", record.get("pytorch_test_accuracy").asDouble());
        System.out.printf("recorded images: %d, max |DL4J - PyTorch| softmax %.3e, same argmax on %d%n",
                rows.length, maxDiff, agree);

        long t = System.nanoTime();
        double clean = new RobustnessEvaluator(normalised, Progress.none()).cleanAccuracy(test);
        System.out.printf("normalisation inside: clean accuracy %.4f on %d test images (%.1f s)%n", clean, test.size(),
                (System.nanoTime() - t) / 1e9);
        double rawClean = new RobustnessEvaluator(raw, Progress.none()).cleanAccuracy(test);
        INDArray rawOut = output(raw, Nd4j.createFromArray(rows).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        double rawDiff = 0;
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < rawOut.columns(); k++) {
                rawDiff = Math.max(rawDiff, Math.abs(rawOut.getDouble(i, k) - expected.get(i).get(k).asDouble()));
            }
        }
        System.out.printf("no normalisation inside ([0, 1] pixels straight in): clean accuracy %.4f,"
                + " max |DL4J - PyTorch| softmax on the recorded images %.3e%n", rawClean, rawDiff);

        // The first attack of configs/mnist-keras-finetune.yaml's evaluation, seeded the way
        // RobustnessEvaluator.evaluate seeds it there.
        AttackConfig pgd = new AttackConfig(AttackName.PGD, 0.1, 20, 0.01, null, true, 1, pgdImages);
        t = System.nanoTime();
        RobustnessReport report = new RobustnessEvaluator(normalised, Progress.none())
                .evaluate(h5.toString(), "mnist", test, 0, java.util.List.of(pgd), SEED);
        RobustnessReport.AttackOutcome o = report.results().get(0);
        System.out.printf("PGD-20 eps 0.1 step 0.01 on %d test images: robust accuracy %.4f (clean on them %.4f), %.1f s%n",
                o.n(), o.robustAccuracy(), o.cleanAccuracy(), (System.nanoTime() - t) / 1e9);
        // The same attack on the model without the normalisation inside: a model that sees its inputs
        // through the wrong affine map, not the one that was trained, so its number describes neither.
        t = System.nanoTime();
        o = new RobustnessEvaluator(raw, Progress.none())
                .evaluate(h5.toString(), "mnist", test, 0, java.util.List.of(pgd), SEED).results().get(0);
        System.out.printf("no normalisation inside: PGD-20 eps 0.1 robust accuracy %.4f (clean on them %.4f), %.1f s%n",
                o.robustAccuracy(), o.cleanAccuracy(), (System.nanoTime() - t) / 1e9);
    }

    static INDArray output(Model model, INDArray rows) {
        return model instanceof MultiLayerNetwork n ? n.output(rows, false) : ((ComputationGraph) model).outputSingle(false, rows);
    }
}
