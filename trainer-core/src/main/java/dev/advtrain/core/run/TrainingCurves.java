package dev.advtrain.core.run;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws {@code training-curves.png}: accuracies and losses per epoch, side by side. */
public final class TrainingCurves {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private TrainingCurves() {
    }

    /** Writes the chart for the metrics history; nothing if there is no epoch yet. */
    public static void write(List<Map<String, Double>> history, Path file) {
        if (history.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        XYChart accuracy = chart("Accuracy", "accuracy", history, Map.of(
                "clean_acc", "train clean", "adv_acc", "train adversarial",
                "val_clean_acc", "validation clean", "val_robust_acc", "validation robust (PGD)"));
        XYChart loss = chart("Loss", "cross-entropy", history, Map.of(
                "train_loss", "train (mixed batches)", "clean_loss", "train clean", "adv_loss", "train adversarial"));
        BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(BitmapEncoder.getBufferedImage(accuracy), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(loss), WIDTH, 0, null);
        g.dispose();
        RunDirectory.writeAtomically(file, out -> ImageIO.write(image, "png", out.toFile()));
    }

    private static XYChart chart(String title, String yTitle, List<Map<String, Double>> history, Map<String, String> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        chart.getStyler().setXAxisDecimalPattern("0");
        series.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            double[] epochs = history.stream().filter(r -> finite(r.get(entry.getKey())))
                    .mapToDouble(r -> r.get("epoch")).toArray();
            double[] values = history.stream().filter(r -> finite(r.get(entry.getKey())))
                    .mapToDouble(r -> r.get(entry.getKey())).toArray();
            if (epochs.length > 0) {
                chart.addSeries(entry.getValue(), epochs, values).setMarker(SeriesMarkers.CIRCLE);
            }
        });
        return chart;
    }

    private static boolean finite(Double value) {
        return value != null && Double.isFinite(value);
    }
}
