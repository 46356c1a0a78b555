package dev.advtrain.core.report;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.eval.AdversarialExamples;
import dev.advtrain.core.eval.AttackSummary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output directory of {@code advtrain attack}. Row {@code i} of every array and line {@code i}
 * of {@code examples.csv} is example {@code i}, the {@code i}-th image attacked:
 * <ul>
 *   <li>{@code adversarial.npy}, {@code original.npy}: float32 [N, C, H, W], pixels in [0, 1];</li>
 *   <li>{@code labels.npy}: int32 [N], true classes; {@code predictions.npy}: int32 [N], the judged
 *       model's class for each adversarial image; {@code targets.npy}: int32 [N], target classes
 *       (targeted runs only);</li>
 *   <li>{@code examples.csv}: one row per example (classes, confidences, success, perturbation sizes, queries,
 *       then the true and the adversarial class by name, see {@link ClassNames});</li>
 *   <li>{@code grid-001.png}, ...: {@value #EXAMPLES_PER_GRID} examples each ({@link AdversarialGrid});</li>
 *   <li>{@code summary.json} ({@link AttackSummary}), written last: its presence marks a complete directory.</li>
 * </ul>
 * Nothing is ever overwritten: the directory must be new or empty.
 */
public final class AttackOutputs {

    /** Examples per PNG grid. */
    public static final int EXAMPLES_PER_GRID = 16;

    /** How many times patch.png enlarges the patch's pixels. */
    static final int PATCH_SCALE = 16;

    private AttackOutputs() {
    }

    /**
     * Checks that {@code dir} can receive the outputs: it does not exist, or is an empty directory.
     *
     * @throws UserErrorException if it is a file or a directory with anything in it
     */
    public static void checkNewOrEmpty(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserErrorException(dir + " exists and is not a directory: choose a new --out");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UserErrorException(dir + " already exists and is not empty: choose a new --out");
                }
            } catch (IOException e) {
                throw new UserErrorException("cannot read " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates {@code dir} and its parents after {@link #checkNewOrEmpty}; a user error if it cannot. */
    public static Path createEmptyDirectory(Path dir) {
        checkNewOrEmpty(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserErrorException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code dir} (it must be new or empty, see {@link #checkNewOrEmpty}), writes every file
     * into it, at most {@code maxGrids} PNG grids, and returns the files written; also {@code
     * patch.png}, the trained adversarial patch [C, h, w] enlarged 16 times for printing, when {@code
     * patch} is not null. Classes are shown in the grids and the name columns of {@code examples.csv}
     * as {@code names} says ({@link ClassNames#NUMBERED} for numbers).
     */
    public static List<Path> write(Path dir, AdversarialExamples examples, AttackSummary summary, int maxGrids,
            INDArray patch, ClassNames names) {
        createEmptyDirectory(dir);
        List<Path> written = new ArrayList<>();
        try {
            Npy.write(add(written, dir, "adversarial.npy"), examples.adversarialImages());
            Npy.write(add(written, dir, "original.npy"), examples.originalImages());
            int n = examples.size();
            int[] labels = new int[n];
            int[] predictions = new int[n];
            int[] targets = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = examples.label(i);
                predictions[i] = examples.adversarialPrediction(i);
                targets[i] = examples.target(i);
            }
            Npy.write(add(written, dir, "labels.npy"), labels);
            Npy.write(add(written, dir, "predictions.npy"), predictions);
            if (examples.targeting().isTargeted()) {
                Npy.write(add(written, dir, "targets.npy"), targets);
            }
            Files.writeString(add(written, dir, "examples.csv"), csv(examples, names), StandardOpenOption.CREATE_NEW);
            int grids = Math.min(maxGrids, (n + EXAMPLES_PER_GRID - 1) / EXAMPLES_PER_GRID);
            for (int k = 0; k < grids; k++) {
                int from = k * EXAMPLES_PER_GRID;
                int to = Math.min(n, from + EXAMPLES_PER_GRID);
                AdversarialGrid.write(add(written, dir, String.format("grid-%03d.png", k + 1)), grid(examples, summary, from, to, names));
            }
            if (patch != null) {
                AdversarialGrid.write(add(written, dir, "patch.png"), AdversarialGrid.enlarged(patch, PATCH_SCALE));
            }
            Files.writeString(add(written, dir, "summary.json"), summary.toJson(), StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }

    private static Path add(List<Path> written, Path dir, String name) {
        Path file = dir.resolve(name);
        written.add(file);
        return file;
    }

    /** The grid of examples {@code from} (inclusive) to {@code to} (exclusive), classes shown as {@code names} says. */
    public static BufferedImage grid(AdversarialExamples ex, AttackSummary summary, int from, int to, ClassNames names) {
        List<AdversarialGrid.Cell> cells = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String heading = "#" + i + "  true " + names.name(ex.label(i))
                    + (ex.target(i) >= 0 ? "  target " + names.name(ex.target(i)) : "");
            AdversarialGrid.Outcome outcome = !ex.counted(i) ? AdversarialGrid.Outcome.NOT_COUNTED
                    : ex.success(i) ? AdversarialGrid.Outcome.SUCCESS : AdversarialGrid.Outcome.FAILED;
            cells.add(new AdversarialGrid.Cell(heading, ex.images().pixels(i), ex.adversarialPixels(i),
                    prediction(names.name(ex.cleanPrediction(i)), ex.cleanConfidence(i)),
                    prediction(names.name(ex.adversarialPrediction(i)), ex.adversarialConfidence(i)), outcome));
        }
        String title = String.format(Locale.ROOT, "%s, %s eps %s, %s%s: examples %d-%d of %d", summary.attack(),
                ex.norm(), summary.parameters().getOrDefault("eps", "?"), summary.targeting(),
                summary.surrogate() != null ? ", crafted on the surrogate" : "", from, to - 1, ex.size());
        return AdversarialGrid.render(title, cells, ex.images().channels(), ex.images().height(), ex.images().width());
    }

    /** A grid caption: the predicted class (its shown name) and the model's confidence in it. */
    static String prediction(String shownClass, double confidence) {
        return String.format(Locale.ROOT, "pred %s (%.2f)", shownClass, confidence);
    }

    /** {@code examples.csv}: the numeric columns, then the true and the adversarial class as shown. */
    static String csv(AdversarialExamples ex, ClassNames names) {
        StringBuilder out = new StringBuilder("index,label,target,counted,clean_prediction,clean_confidence,"
                + "adversarial_prediction,adversarial_confidence,success,norm_" + ex.norm() + ",linf,l2,queries,"
                + "label_name,adversarial_prediction_name\n");
        for (int i = 0; i < ex.size(); i++) {
            out.append(String.format(Locale.ROOT, "%d,%d,%s,%b,%d,%.6f,%d,%.6f,%b,%.6g,%.6g,%.6g,%d,%s,%s\n", i,
                    ex.label(i), ex.target(i) >= 0 ? Integer.toString(ex.target(i)) : "", ex.counted(i),
                    ex.cleanPrediction(i), ex.cleanConfidence(i), ex.adversarialPrediction(i),
                    ex.adversarialConfidence(i), ex.success(i), ex.threatNorm(i), ex.linf(i), ex.l2(i), ex.queries(i),
                    csvField(names.name(ex.label(i))), csvField(names.name(ex.adversarialPrediction(i)))));
        }
        return out.toString();
    }

    /** The text as one CSV field: quoted, with quotes doubled, when it holds a comma, quote or line break. */
    static String csvField(String text) {
        if (text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
