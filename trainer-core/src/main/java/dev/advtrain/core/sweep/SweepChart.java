package dev.advtrain.core.sweep;

import dev.advtrain.core.run.RunDirectory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a sweep's {@code pareto.png}: every finished candidate at its clean and robust validation
 * accuracy, numbered, with the Pareto front (no other candidate is better on both) joined by a line
 * and the best candidate by the objective marked.
 */
final class SweepChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 540;

    private SweepChart() {
    }

    /** Writes the chart of {@code finished} (finished candidates); nothing if there are none. */
    static void write(List<CandidateResult> finished, List<CandidateResult> front, Optional<CandidateResult> best,
            Path file) {
        if (finished.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Sweep candidates: clean vs robust validation accuracy")
                .xAxisTitle("clean validation accuracy").yAxisTitle("robust validation accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("0.000");
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);

        XYSeries all = chart.addSeries("candidates", clean(finished), robust(finished));
        all.setMarker(SeriesMarkers.CIRCLE);
        all.setMarkerColor(new Color(120, 120, 120));
        List<CandidateResult> frontByClean = front.stream()
                .sorted(Comparator.comparingDouble(CandidateResult::valCleanAcc)).toList();
        XYSeries pareto = chart.addSeries("Pareto front", clean(frontByClean), robust(frontByClean));
        pareto.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        pareto.setMarker(SeriesMarkers.DIAMOND);
        pareto.setLineColor(new Color(31, 119, 180));
        pareto.setMarkerColor(new Color(31, 119, 180));
        pareto.setLineStyle(new BasicStroke(1.5f));
        best.ifPresent(b -> {
            XYSeries marked = chart.addSeries("best: candidate " + b.candidate(), new double[] {b.valCleanAcc()},
                    new double[] {b.valRobustAcc()});
            marked.setMarker(SeriesMarkers.SQUARE);
            marked.setMarkerColor(new Color(214, 39, 40));
        });
        for (CandidateResult r : finished) {
            chart.addAnnotation(new AnnotationText("  " + r.candidate(), r.valCleanAcc(), r.valRobustAcc(), false));
        }
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        RunDirectory.writeAtomically(file, out -> ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", out.toFile()));
    }

    private static double[] clean(List<CandidateResult> rows) {
        return rows.stream().mapToDouble(CandidateResult::valCleanAcc).toArray();
    }

    private static double[] robust(List<CandidateResult> rows) {
        return rows.stream().mapToDouble(CandidateResult::valRobustAcc).toArray();
    }
}
