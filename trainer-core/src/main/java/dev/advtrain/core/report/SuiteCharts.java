package dev.advtrain.core.report;

import dev.advtrain.core.eval.suite.SuiteReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of an evaluation report ({@link SuiteReport}), drawn with XChart, headless: robust accuracy
 * against eps per attack with the worst case and the clean accuracy, per-class clean and worst-case
 * accuracy, the confusion matrix under the worst-case attack, and defences attacked naively and
 * adaptively. Every chart is {@value #WIDTH} x {@value #HEIGHT} pixels. Accuracies are drawn on a
 * fixed 0..1 axis; NaN values (nothing measured) are left out of the chart, not drawn as zero.
 *
 * <pre>{@code
 * byte[] png = SuiteCharts.png(SuiteCharts.curves(report, "linf"));
 * }</pre>
 */
public final class SuiteCharts {

    /** Width of every chart, in pixels. */
    public static final int WIDTH = 800;
    /** Height of every chart, in pixels. */
    public static final int HEIGHT = 500;

    /** The series name of the per-example worst case over the suite's attacks. */
    static final String WORST_CASE = "worst case";
    /** The series name of the clean accuracy line. */
    static final String CLEAN = "clean";

    private static final Color WORST_CASE_COLOR = Color.BLACK;
    private static final Color CLEAN_COLOR = new Color(90, 90, 90);
    private static final Color CLEAN_BAR = new Color(120, 160, 210);
    private static final Color ROBUST_BAR = new Color(215, 95, 60);
    private static final Color ADAPTIVE_BAR = new Color(150, 30, 40);

    private SuiteCharts() {
    }

    /**
     * Robust accuracy against eps for one threat norm: a line with markers per attack (the report's
     * results with that norm, sorted by eps), the worst case over the attacks as a thick black line,
     * and the clean accuracy as a dashed horizontal line from eps 0 to the largest eps.
     */
    public static BufferedImage curves(SuiteReport report, String norm) {
        return image(curvesChart(report, norm));
    }

    /**
     * Per class, clean accuracy and worst-case robust accuracy side by side, the classes along the
     * axis shown as {@code names} says.
     */
    public static BufferedImage perClass(SuiteReport.PerClass perClass, ClassNames names) {
        return image(perClassChart(perClass, names));
    }

    /**
     * The confusion matrix under the worst-case attack as a heat map: true class down the side (class
     * 0 at the top), predicted class along the bottom, each cell labelled with its count; the classes
     * on both axes shown as {@code names} says.
     */
    public static BufferedImage confusion(SuiteReport.PerClass perClass, ClassNames names) {
        return image(confusionChart(perClass, names));
    }

    /** Per defence, grouped bars: clean, naive robust and adaptive robust accuracy. */
    public static BufferedImage defences(List<SuiteReport.DefenceOutcome> defences) {
        return image(defencesChart(defences));
    }

    /** The image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static XYChart curvesChart(SuiteReport report, String norm) {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Robust accuracy against eps (%s), n = %d", norm, report.n()))
                .xAxisTitle("eps").yAxisTitle("robust accuracy").build();
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");

        Map<String, List<SuiteReport.AttackOutcome>> byAttack = new LinkedHashMap<>();
        for (SuiteReport.AttackOutcome outcome : nonNull(report.results())) {
            if (norm.equals(outcome.norm())) {
                byAttack.computeIfAbsent(outcome.attack(), a -> new ArrayList<>()).add(outcome);
            }
        }
        double maxEps = 0;
        for (Map.Entry<String, List<SuiteReport.AttackOutcome>> attack : byAttack.entrySet()) {
            XYSeries series = addLine(chart, attack.getKey(), attack.getValue(), SuiteReport.AttackOutcome::eps,
                    SuiteReport.AttackOutcome::robustAccuracy);
            if (series != null) {
                series.setMarker(SeriesMarkers.CIRCLE);
                series.setLineStyle(new BasicStroke(2f));
            }
            maxEps = Math.max(maxEps, maxFinite(attack.getValue(), SuiteReport.AttackOutcome::eps));
        }
        List<SuiteReport.WorstCase> worst = nonNull(report.worstCase()).stream().filter(w -> norm.equals(w.norm())).toList();
        XYSeries worstSeries = addLine(chart, WORST_CASE, worst, SuiteReport.WorstCase::eps,
                SuiteReport.WorstCase::robustAccuracy);
        if (worstSeries != null) {
            worstSeries.setMarker(SeriesMarkers.SQUARE).setMarkerColor(WORST_CASE_COLOR);
            worstSeries.setLineColor(WORST_CASE_COLOR);
            worstSeries.setLineStyle(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        maxEps = Math.max(maxEps, maxFinite(worst, SuiteReport.WorstCase::eps));
        if (Double.isFinite(report.cleanAccuracy()) && maxEps > 0) {
            XYSeries clean = chart.addSeries(CLEAN, new double[] {0, maxEps},
                    new double[] {report.cleanAccuracy(), report.cleanAccuracy()});
            clean.setMarker(SeriesMarkers.NONE);
            clean.setLineColor(CLEAN_COLOR);
            clean.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {8f, 6f}, 0f));
        }
        return chart;
    }

    static CategoryChart perClassChart(SuiteReport.PerClass perClass, ClassNames names) {
        headless();
        List<SuiteReport.ClassOutcome> classes = nonNull(perClass.classes());
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no classes to chart for " + perClass.norm() + " eps " + perClass.eps());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Per-class accuracy (%s, eps %s)", perClass.norm(),
                        ReportNumbers.compact(perClass.eps())))
                .xAxisTitle("class").yAxisTitle("accuracy").build();
        accuracyAxis(chart);
        if (names.named()) {
            chart.getStyler().setXAxisLabelRotation(30); // names side by side overlap
        }
        List<String> labels = classes.stream().map(c -> names.name(c.label())).toList();
        chart.addSeries(CLEAN, labels, orNull(classes, SuiteReport.ClassOutcome::cleanAccuracy)).setFillColor(CLEAN_BAR);
        chart.addSeries("worst-case robust", labels, orNull(classes, SuiteReport.ClassOutcome::robustAccuracy))
                .setFillColor(ROBUST_BAR);
        return chart;
    }

    static HeatMapChart confusionChart(SuiteReport.PerClass perClass, ClassNames names) {
        headless();
        int[][] confusion = perClass.confusion();
        if (confusion == null || confusion.length == 0) {
            throw new IllegalArgumentException("no confusion matrix for " + perClass.norm() + " eps " + perClass.eps());
        }
        int k = confusion.length;
        List<String> predicted = new ArrayList<>();
        List<String> trueTopDown = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            predicted.add(names.name(c));
            trueTopDown.add(names.name(k - 1 - c));
        }
        List<Number[]> cells = new ArrayList<>();
        int max = 1;
        for (int t = 0; t < k; t++) {
            if (confusion[t].length != k) {
                throw new IllegalArgumentException("confusion matrix is not square: row " + t + " has "
                        + confusion[t].length + " entries, expected " + k);
            }
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, confusion[t][p]});
                max = Math.max(max, confusion[t][p]);
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Predictions under the worst-case attack (%s, eps %s)", perClass.norm(),
                        ReportNumbers.compact(perClass.eps())))
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0");
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(165, 195, 235), new Color(70, 120, 200)});
        chart.getStyler().setMin(0).setMax(max);
        chart.getStyler().setLegendVisible(true);
        chart.addSeries("images", predicted, trueTopDown, cells);
        return chart;
    }

    static CategoryChart defencesChart(List<SuiteReport.DefenceOutcome> defences) {
        headless();
        if (defences.isEmpty()) {
            throw new IllegalArgumentException("no defences to chart");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Defences: accuracy clean, under the naive attack and under the adaptive attack")
                .xAxisTitle("defence").yAxisTitle("accuracy").build();
        accuracyAxis(chart);
        chart.getStyler().setYAxisDecimalPattern("0.##");
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.BLACK);
        chart.getStyler().setLabelsPosition(1.0);
        chart.getStyler().setLabelsRotation(0);
        chart.getStyler().setXAxisLabelRotation(20); // long defence names side by side overlap
        List<String> labels = defenceLabels(defences);
        chart.addSeries(CLEAN, labels, orNull(defences, SuiteReport.DefenceOutcome::cleanAccuracy)).setFillColor(CLEAN_BAR);
        chart.addSeries("naive robust", labels, orNull(defences, SuiteReport.DefenceOutcome::naiveRobustAccuracy))
                .setFillColor(ROBUST_BAR);
        chart.addSeries("adaptive robust", labels, orNull(defences, SuiteReport.DefenceOutcome::adaptiveRobustAccuracy))
                .setFillColor(ADAPTIVE_BAR);
        return chart;
    }

    /**
     * One category label per defence: the defence with its adaptive attack, e.g. {@code bit-depth(3) [bpda]},
     * and the norm and eps when two defences would otherwise share a label.
     */
    static List<String> defenceLabels(List<SuiteReport.DefenceOutcome> defences) {
        Map<String, Integer> counts = new HashMap<>();
        for (SuiteReport.DefenceOutcome d : defences) {
            counts.merge(shortLabel(d), 1, Integer::sum);
        }
        List<String> labels = new ArrayList<>();
        for (SuiteReport.DefenceOutcome d : defences) {
            String label = counts.get(shortLabel(d)) == 1 ? shortLabel(d)
                    : shortLabel(d) + " " + d.norm() + " eps " + ReportNumbers.compact(d.eps());
            while (labels.contains(label)) {
                label = label + "'";
            }
            labels.add(label);
        }
        return labels;
    }

    private static String shortLabel(SuiteReport.DefenceOutcome d) {
        return d.defence() + " [" + d.adaptive() + "]";
    }

    /** Adds a line through the finite (x, y) points sorted by x; null when there is none. */
    private static <T> XYSeries addLine(XYChart chart, String name, List<T> points, ToDoubleFunction<T> x,
            ToDoubleFunction<T> y) {
        List<T> finite = points.stream()
                .filter(p -> Double.isFinite(x.applyAsDouble(p)) && Double.isFinite(y.applyAsDouble(p)))
                .sorted(Comparator.comparingDouble(x))
                .toList();
        if (finite.isEmpty()) {
            return null;
        }
        return chart.addSeries(name, finite.stream().mapToDouble(x).toArray(), finite.stream().mapToDouble(y).toArray());
    }

    private static <T> double maxFinite(List<T> points, ToDoubleFunction<T> value) {
        return points.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(0);
    }

    /** The values, with null (a missing bar) where a value is NaN or infinite. */
    private static <T> List<Double> orNull(List<T> items, ToDoubleFunction<T> value) {
        List<Double> values = new ArrayList<>(items.size());
        for (T item : items) {
            double v = value.applyAsDouble(item);
            values.add(Double.isFinite(v) ? v : null);
        }
        return values;
    }

    private static void accuracyAxis(CategoryChart chart) {
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setAvailableSpaceFill(0.8);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static BufferedImage image(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void headless() {
        System.setProperty("java.awt.headless", "true");
    }
}
