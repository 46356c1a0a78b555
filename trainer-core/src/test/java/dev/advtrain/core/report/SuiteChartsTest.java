package dev.advtrain.core.report;

import static dev.advtrain.core.report.SuiteReportFixture.APGD;
import static dev.advtrain.core.report.SuiteReportFixture.CONFUSION;
import static dev.advtrain.core.report.SuiteReportFixture.SQUARE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.eval.suite.SuiteReport;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** What the evaluation report's charts show, and that they render. */
class SuiteChartsTest {

    private final SuiteReport report = SuiteReportFixture.report().build();

    @Test
    void curvesHaveALinePerAttackSortedByEpsThenTheWorstCaseAndTheCleanLine() {
        List<SuiteReport.AttackOutcome> shuffled = new ArrayList<>();
        for (int from = 0; from < report.results().size(); from += 3) {
            List<SuiteReport.AttackOutcome> oneAttack = new ArrayList<>(report.results().subList(from, from + 3));
            Collections.reverse(oneAttack);
            shuffled.addAll(oneAttack);
        }
        shuffled.add(new SuiteReport.AttackOutcome("carlini-l2", "l2", 1.5, Map.of(), 1000, 950, 0.4, 550, 1.1, 10, 1));
        XYChart chart = SuiteCharts.curvesChart(SuiteReportFixture.withResults(report, shuffled), "linf");

        assertEquals(List.of(APGD, SQUARE, SuiteCharts.WORST_CASE, SuiteCharts.CLEAN),
                List.copyOf(chart.getSeriesMap().keySet()), "attacks in suite order; the l2 attack belongs on the l2 chart only");
        XYSeries apgd = chart.getSeriesMap().get(APGD);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, apgd.getXData(), 1e-12);
        assertArrayEquals(new double[] {0.80, 0.55, 0.20}, apgd.getYData(), 1e-12);
        XYSeries worst = chart.getSeriesMap().get(SuiteCharts.WORST_CASE);
        assertArrayEquals(new double[] {0.78, 0.50, 0.15}, worst.getYData(), 1e-12);
        assertEquals(Color.BLACK, worst.getLineColor());
        assertTrue(worst.getLineStyle().getLineWidth() > apgd.getLineStyle().getLineWidth(), "the worst case is drawn thicker");
        XYSeries clean = chart.getSeriesMap().get(SuiteCharts.CLEAN);
        assertArrayEquals(new double[] {0.95, 0.95}, clean.getYData(), 0);
        assertArrayEquals(new double[] {0, 0.3}, clean.getXData(), 1e-12);
        assertNotNull(clean.getLineStyle().getDashArray(), "clean accuracy is a dashed line");
        assertEquals("Robust accuracy against eps (linf), n = 1000", chart.getTitle());

        XYChart l2 = SuiteCharts.curvesChart(SuiteReportFixture.withResults(report, shuffled), "l2");
        assertEquals(List.of("carlini-l2", SuiteCharts.CLEAN), List.copyOf(l2.getSeriesMap().keySet()));
    }

    @Test
    void curvesLeaveOutNaNPointsAndStillRender() {
        SuiteReport withGaps = SuiteReportFixture.report().robustAccuracy(SQUARE, 0.2, Double.NaN)
                .robustAccuracy(APGD, 0.1, Double.NaN).robustAccuracy(APGD, 0.2, Double.NaN)
                .robustAccuracy(APGD, 0.3, Double.NaN).build();
        XYChart chart = SuiteCharts.curvesChart(withGaps, "linf");
        assertArrayEquals(new double[] {0.1, 0.3}, chart.getSeriesMap().get(SQUARE).getXData(), 1e-12);
        assertArrayEquals(new double[] {0.95, 0.31}, chart.getSeriesMap().get(SQUARE).getYData(), 1e-12);
        assertNull(chart.getSeriesMap().get(APGD), "an attack with nothing measured has no line");

        BufferedImage image = SuiteCharts.curves(withGaps, "linf");
        assertChart(image);
        BufferedImage nothingMeasured = SuiteCharts.curves(withGaps, "l1");
        assertEquals(SuiteCharts.WIDTH, nothingMeasured.getWidth(), "a norm without results is an empty chart, not an error");
    }

    @Test
    void everyChartHasTheChartSizeAndIsNotBlank() {
        SuiteReport.PerClass perClass = report.perClass().get(0);
        assertChart(SuiteCharts.curves(report, "linf"));
        assertChart(SuiteCharts.perClass(perClass, ClassNames.NUMBERED));
        assertChart(SuiteCharts.confusion(perClass, ClassNames.NUMBERED));
        assertChart(SuiteCharts.defences(report.defences()));
    }

    @Test
    void perClassBarsAreCleanAndWorstCaseWithNaNLeftOut() {
        SuiteReport.PerClass perClass = new SuiteReport.PerClass("linf", 0.3, List.of(
                new SuiteReport.ClassOutcome(0, 10, 0.9, 0.3), new SuiteReport.ClassOutcome(1, 0, Double.NaN, Double.NaN)),
                new int[][] {{9, 1}, {0, 0}});
        CategoryChart chart = SuiteCharts.perClassChart(perClass, ClassNames.NUMBERED);
        assertEquals(List.of(SuiteCharts.CLEAN, "worst-case robust"), List.copyOf(chart.getSeriesMap().keySet()));
        assertEquals(List.of("0", "1"), List.copyOf(chart.getSeriesMap().get(SuiteCharts.CLEAN).getXData()));
        assertEquals(Arrays.asList(0.3, null), new ArrayList<>(chart.getSeriesMap().get("worst-case robust").getYData()));
        assertChart(SuiteCharts.perClass(perClass, ClassNames.NUMBERED));
    }

    @Test
    void confusionPutsTrueClassesDownTheSideWithClassZeroAtTheTop() {
        HeatMapChart chart = SuiteCharts.confusionChart(report.perClass().get(0), ClassNames.NUMBERED);
        HeatMapSeries series = chart.getHeatMapSeries();
        assertEquals(List.of("0", "1", "2"), series.getXData(), "predicted class along the bottom");
        assertEquals(List.of("2", "1", "0"), series.getYData(), "y index 0 is the bottom row");
        assertEquals(9, series.getHeatData().size());
        for (Number[] cell : series.getHeatData()) {
            int predicted = cell[0].intValue();
            int trueClass = Integer.parseInt((String) series.getYData().get(cell[1].intValue()));
            assertEquals(CONFUSION[trueClass][predicted], cell[2].intValue(), "true " + trueClass + " predicted " + predicted);
        }
        assertThrows(IllegalArgumentException.class, () -> SuiteCharts.confusionChart(
                new SuiteReport.PerClass("linf", 0.3, List.of(), new int[][] {{1, 2}, {3}}), ClassNames.NUMBERED));
    }

    @Test
    void defencesAreGroupedBarsWithDistinctLabels() {
        SuiteReport.DefenceOutcome bitDepth = report.defences().get(0);
        SuiteReport.DefenceOutcome atOtherEps = new SuiteReport.DefenceOutcome("bit-depth(3)", "bpda", "pgd", "linf", 0.1,
                1000, 0.93, 0.8, 0.4, 0.45, 10);
        CategoryChart chart = SuiteCharts.defencesChart(List.of(bitDepth, atOtherEps));
        assertEquals(List.of(SuiteCharts.CLEAN, "naive robust", "adaptive robust"), List.copyOf(chart.getSeriesMap().keySet()));
        assertEquals(List.of(0.72, 0.8), List.copyOf(chart.getSeriesMap().get("naive robust").getYData()));
        assertEquals(List.of(0.05, 0.4), List.copyOf(chart.getSeriesMap().get("adaptive robust").getYData()));
        List<?> labels = List.copyOf(chart.getSeriesMap().get(SuiteCharts.CLEAN).getXData());
        assertEquals(List.of("bit-depth(3) [bpda] linf eps 0.3", "bit-depth(3) [bpda] linf eps 0.1"), labels,
                "the same defence at two eps must not share a bar group");
        assertEquals(List.of("bit-depth(3) [bpda]"), SuiteCharts.defenceLabels(List.of(bitDepth)));
        assertThrows(IllegalArgumentException.class, () -> SuiteCharts.defences(List.of()));
    }

    @Test
    void pngBytesDecodeToTheSamePixels() throws IOException {
        BufferedImage image = SuiteCharts.perClass(report.perClass().get(0), ClassNames.NUMBERED);
        byte[] png = SuiteCharts.png(image);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(decoded);
        assertEquals(image.getWidth(), decoded.getWidth());
        assertEquals(image.getHeight(), decoded.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                assertEquals(image.getRGB(x, y) & 0xFFFFFF, decoded.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    /** The chart size, and more than a background: lines, bars, text in many colours. */
    static void assertChart(BufferedImage image) {
        assertEquals(SuiteCharts.WIDTH, image.getWidth());
        assertEquals(SuiteCharts.HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        int background = image.getRGB(0, 0);
        int other = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                if (rgb != background) {
                    other++;
                }
            }
        }
        assertTrue(colours.size() > 20, "distinct colours: " + colours.size());
        assertTrue(other > image.getWidth() * image.getHeight() / 50, "pixels other than the background: " + other);
    }
}
