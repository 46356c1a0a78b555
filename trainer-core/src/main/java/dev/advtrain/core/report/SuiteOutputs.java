package dev.advtrain.core.report;

import dev.advtrain.core.eval.suite.SuiteConfig;
import dev.advtrain.core.eval.suite.SuiteReport;
import dev.advtrain.core.eval.suite.SuiteRunner;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an evaluation into a new directory: {@code report.json}, a self-contained
 * {@code report.html}, {@code suite.yaml} (the resolved suite), and PNG charts per threat model:
 * {@code curves-<norm>.png} (robust accuracy against eps), {@code per-class-<norm>.png},
 * {@code confusion-<norm>.png}, {@code defences.png}, and {@code examples-<norm>.png}, a grid of
 * worst-case adversarial examples (clean, perturbation scaled up, adversarial, with labels and
 * confidences; the broken images first). Classes are shown as a {@link ClassNames} says.
 */
public final class SuiteOutputs {

    private SuiteOutputs() {
    }

    /**
     * Creates {@code dir} (new or empty) and writes every file, classes shown in the per-class and
     * confusion charts and tables and in the example grids as {@code names} says; returns the files written.
     */
    public static List<Path> write(Path dir, SuiteRunner.SuiteResult result, SuiteConfig suite, ClassNames names) {
        AttackOutputs.createEmptyDirectory(dir);
        SuiteReport report = result.report();
        List<Path> written = new ArrayList<>();
        List<SuiteHtml.Figure> figures = new ArrayList<>();
        try {
            for (String norm : report.worstCase().stream().map(SuiteReport.WorstCase::norm).distinct().toList()) {
                figure(dir, "curves-" + norm + ".png", SuiteCharts.curves(report, norm), "curves",
                        "Robust accuracy against eps under " + norm + ", per attack and in the worst case", written, figures);
            }
            for (SuiteReport.PerClass perClass : report.perClass()) {
                String where = perClass.norm() + " eps " + perClass.eps();
                figure(dir, "per-class-" + perClass.norm() + ".png", SuiteCharts.perClass(perClass, names), "per-class",
                        "Clean and worst-case robust accuracy per class, " + where, written, figures);
                figure(dir, "confusion-" + perClass.norm() + ".png", SuiteCharts.confusion(perClass, names), "confusion",
                        "True class against the prediction on the worst-case adversarial example, " + where, written, figures);
            }
            if (!report.defences().isEmpty()) {
                figure(dir, "defences.png", SuiteCharts.defences(report.defences()), "defences",
                        "Input-preprocessing defences: clean, naive attack and adaptive attack", written, figures);
            }
            for (SuiteRunner.WorstCaseExamples examples : result.examples()) {
                if (suite.examples() > 0) {
                    figure(dir, "examples-" + examples.norm() + ".png", grid(examples, suite.examples(), names), "examples",
                            "Worst-case adversarial examples, " + examples.norm() + " eps " + examples.eps()
                                    + ": clean, perturbation (scaled up), adversarial", written, figures);
                }
            }
            written.add(create(dir.resolve("suite.yaml"), suite.toYaml()));
            written.add(create(dir.resolve("report.json"), report.toJson()));
            written.add(create(dir.resolve("report.html"), SuiteHtml.render(report, figures, names)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }

    private static void figure(Path dir, String name, BufferedImage image, String section, String caption,
            List<Path> written, List<SuiteHtml.Figure> figures) throws IOException {
        byte[] png = SuiteCharts.png(image);
        Path file = dir.resolve(name);
        Files.write(file, png, StandardOpenOption.CREATE_NEW);
        written.add(file);
        figures.add(new SuiteHtml.Figure(section, caption, png));
    }

    private static Path create(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardOpenOption.CREATE_NEW);
    }

    /** At most {@code count} examples: those an attack broke first, then the robust ones, then the misclassified. */
    static BufferedImage grid(SuiteRunner.WorstCaseExamples ex, int count, ClassNames names) {
        int n = ex.images().size();
        List<Integer> order = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < n && order.size() < count; i++) {
                boolean correct = ex.cleanPredictions()[i] == ex.images().label(i);
                boolean broken = ex.breaker()[i] != null;
                if (pass == 0 && broken || pass == 1 && correct && !broken || pass == 2 && !correct) {
                    order.add(i);
                }
            }
        }
        int d = ex.images().pixelsPerExample();
        List<AdversarialGrid.Cell> cells = new ArrayList<>();
        for (int i : order) {
            boolean correct = ex.cleanPredictions()[i] == ex.images().label(i);
            AdversarialGrid.Outcome outcome = !correct ? AdversarialGrid.Outcome.NOT_COUNTED
                    : ex.breaker()[i] != null ? AdversarialGrid.Outcome.SUCCESS : AdversarialGrid.Outcome.FAILED;
            String heading = "#" + i + "  true " + names.name(ex.images().label(i))
                    + (ex.breaker()[i] != null ? "  by " + ex.breaker()[i] : "");
            float[] adversarial = new float[d];
            System.arraycopy(ex.adversarial(), i * d, adversarial, 0, d);
            cells.add(new AdversarialGrid.Cell(heading, ex.images().pixels(i), adversarial,
                    AttackOutputs.prediction(names.name(ex.cleanPredictions()[i]), ex.cleanConfidences()[i]),
                    AttackOutputs.prediction(names.name(ex.predictions()[i]), ex.confidences()[i]),
                    outcome));
        }
        String title = String.format(Locale.ROOT, "Worst case over the suite, %s eps %s: %d of %d images", ex.norm(),
                ex.eps(), order.size(), n);
        return AdversarialGrid.render(title, cells, ex.images().channels(), ex.images().height(), ex.images().width());
    }
}
