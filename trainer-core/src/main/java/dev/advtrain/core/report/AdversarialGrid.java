package dev.advtrain.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG grid of adversarial examples. Each example is a cell of three images side by side, enlarged
 * with nearest-neighbour scaling so that single pixels stay visible: the original, the perturbation
 * and the adversarial image. The perturbation is drawn around mid-grey (grey = 0, lighter =
 * positive, darker = negative) and stretched so that the example's largest |delta| reaches full
 * white or black; the cell states the stretch factor ({@code delta x5.0}) and the largest |delta|.
 * A coloured frame and word give the outcome.
 *
 * <p>Images are channel, row, column pixels in [0, 1] (values outside are clipped for display); one
 * channel is drawn grey, three as RGB.
 *
 * <pre>{@code
 * BufferedImage png = AdversarialGrid.render("pgd eps 0.3", cells, 1, 28, 28);
 * AdversarialGrid.write(dir.resolve("grid-001.png"), png);
 * }</pre>
 */
public final class AdversarialGrid {

    /** Cells per row of the grid. */
    public static final int COLUMNS = 4;

    private static final int TARGET_SIDE = 100;
    private static final int PAD = 8;
    private static final int GAP = 8;
    private static final int LINE = 16;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font BOLD = FONT.deriveFont(Font.BOLD);

    /** What became of an example. */
    public enum Outcome {
        /** The attack met its criterion. */
        SUCCESS("success", new Color(0, 140, 60)),
        /** The attack did not. */
        FAILED("failed", new Color(200, 30, 30)),
        /** Left out of success rates (its true class is the target). */
        NOT_COUNTED("not counted", new Color(130, 130, 130));

        private final String word;
        private final Color color;

        Outcome(String word, Color color) {
            this.word = word;
            this.color = color;
        }

        /** The word shown in the cell. */
        public String word() {
            return word;
        }
    }

    /**
     * One example.
     *
     * @param heading first line, e.g. {@code "#12  true 7  target 3"}
     * @param original the clean pixels
     * @param adversarial the adversarial pixels
     * @param originalCaption under the original, e.g. {@code "pred 7 (0.99)"}
     * @param adversarialCaption under the adversarial image, e.g. {@code "pred 3 (0.87)"}
     * @param outcome success, failure, or not counted
     */
    public record Cell(String heading, float[] original, float[] adversarial, String originalCaption,
            String adversarialCaption, Outcome outcome) {
    }

    private AdversarialGrid() {
    }

    /** The enlargement factor for images of this size: about {@value #TARGET_SIDE} pixels a side. */
    public static int scale(int height, int width) {
        return Math.max(1, (int) Math.ceil((double) TARGET_SIDE / Math.max(height, width)));
    }

    /** Renders the cells, {@value #COLUMNS} per row, under a title line. */
    public static BufferedImage render(String title, List<Cell> cells, int channels, int height, int width) {
        System.setProperty("java.awt.headless", "true");
        int scale = scale(height, width);
        int imageW = width * scale;
        int imageH = height * scale;
        int cellW = 2 * PAD + 3 * imageW + 2 * GAP;
        int cellH = 2 * PAD + 2 * LINE + imageH + 2 * LINE;
        int columns = Math.max(1, Math.min(COLUMNS, cells.size()));
        int rows = Math.max(1, (cells.size() + columns - 1) / columns);
        BufferedImage canvas = new BufferedImage(Math.max(columns * cellW, 480), 2 * LINE + rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.BLACK);
            g.setFont(BOLD);
            g.drawString(title, PAD, LINE + 4);
            for (int k = 0; k < cells.size(); k++) {
                int x = (k % columns) * cellW;
                int y = 2 * LINE + (k / columns) * cellH;
                drawCell(g, cells.get(k), x, y, cellW, cellH, channels, height, width, scale);
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static void drawCell(Graphics2D g, Cell cell, int x, int y, int cellW, int cellH, int channels, int height,
            int width, int scale) {
        int imageW = width * scale;
        int imageH = height * scale;
        g.setColor(cell.outcome().color);
        g.setStroke(new BasicStroke(2f));
        g.drawRect(x + 2, y + 2, cellW - 4, cellH - 4);

        Perturbation perturbation = Perturbation.of(cell.original(), cell.adversarial());

        int top = y + PAD;
        g.setFont(BOLD);
        g.setColor(Color.BLACK);
        g.drawString(cell.heading(), x + PAD, top + LINE - 4);
        g.setColor(cell.outcome().color);
        FontMetrics bold = g.getFontMetrics();
        g.drawString(cell.outcome().word(), x + cellW - PAD - bold.stringWidth(cell.outcome().word()), top + LINE - 4);

        g.setFont(FONT);
        g.setColor(Color.DARK_GRAY);
        String deltaLabel = perturbation.maxAbs() > 0 ? String.format(Locale.ROOT, "delta x%.3g", perturbation.stretch())
                : "delta = 0";
        String[] labels = {"original", deltaLabel, "adversarial"};
        String[] captions = {cell.originalCaption(), String.format(Locale.ROOT, "max |d| %.3g", perturbation.maxAbs()),
                cell.adversarialCaption()};
        float[][] images = {cell.original(), perturbation.shown(), cell.adversarial()};
        for (int c = 0; c < 3; c++) {
            int ix = x + PAD + c * (imageW + GAP);
            g.drawString(labels[c], ix, top + 2 * LINE - 4);
            g.drawImage(toImage(images[c], channels, height, width), ix, top + 2 * LINE, imageW, imageH, null);
            g.setColor(Color.LIGHT_GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(ix - 1, top + 2 * LINE - 1, imageW + 1, imageH + 1);
            g.setColor(Color.DARK_GRAY);
            g.drawString(captions[c], ix, top + 2 * LINE + imageH + LINE - 2);
        }
    }

    /**
     * A perturbation made visible: {@code shown = 0.5 + stretch * (adversarial - original)}, with
     * {@code stretch = 0.5 / maxAbs} so that the largest |delta| reaches 0 or 1 (stretch 0 when
     * nothing changed).
     */
    record Perturbation(float[] shown, float stretch, float maxAbs) {

        static Perturbation of(float[] original, float[] adversarial) {
            float maxAbs = 0;
            for (int i = 0; i < original.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(adversarial[i] - original[i]));
            }
            float stretch = maxAbs > 0 ? 0.5f / maxAbs : 0f;
            float[] shown = new float[original.length];
            for (int i = 0; i < shown.length; i++) {
                shown[i] = 0.5f + stretch * (adversarial[i] - original[i]);
            }
            return new Perturbation(shown, stretch, maxAbs);
        }
    }

    /** Pixels (channel, row, column; values in [0, 1]) as an image of {@code width x height}. */
    static BufferedImage toImage(float[] pixels, int channels, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int p = r * width + c;
                int red = level(pixels[p]);
                int green = channels >= 3 ? level(pixels[plane + p]) : red;
                int blue = channels >= 3 ? level(pixels[2 * plane + p]) : red;
                image.setRGB(c, r, (red << 16) | (green << 8) | blue);
            }
        }
        return image;
    }

    private static int level(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /**
     * Pixels [C, H, W] (values in [0, 1]; 1 or 3 channels) as an image enlarged {@code scale} times
     * with square pixels: a printable adversarial patch, for one.
     */
    public static BufferedImage enlarged(org.nd4j.linalg.api.ndarray.INDArray chw, int scale) {
        int channels = (int) chw.size(0);
        int height = (int) chw.size(1);
        int width = (int) chw.size(2);
        BufferedImage small = toImage(chw.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat(),
                channels, height, width);
        BufferedImage large = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < height * scale; r++) {
            for (int c = 0; c < width * scale; c++) {
                large.setRGB(c, r, small.getRGB(c / scale, r / scale));
            }
        }
        return large;
    }

    /** Writes the image as a new PNG file; an existing file is an error. */
    public static void write(Path file, BufferedImage image) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        }
    }
}
