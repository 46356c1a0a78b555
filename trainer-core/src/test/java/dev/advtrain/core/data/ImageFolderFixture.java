package dev.advtrain.core.data;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Image folders for tests, written with {@code javax.imageio}: {@code dir/<class>/<image>} as
 * {@link ImageFolder} reads them. {@link #write} makes an easy, learnable dataset (each class its own
 * colour, with seeded noise); {@link #writeSolid} writes single images.
 */
public final class ImageFolderFixture {

    private static final Color[] PALETTE = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.CYAN,
            Color.MAGENTA, Color.ORANGE, Color.PINK, Color.GRAY, Color.WHITE};

    private ImageFolderFixture() {
    }

    /**
     * Writes {@code classes} class folders ({@code class0}, {@code class1}, ...) of {@code perClass}
     * RGB PNG images of {@code size x size}. Class {@code k} is colour {@code k} of a fixed palette
     * (red, green, blue, yellow, ...) with every channel moved by up to +-20 at random.
     *
     * @return the class names, in label order
     */
    public static List<String> write(Path dir, int classes, int perClass, int size, long seed) throws IOException {
        if (classes < 1 || classes > PALETTE.length) {
            throw new IllegalArgumentException("1.." + PALETTE.length + " classes, got " + classes);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            String name = "class" + k;
            names.add(name);
            Path classDir = Files.createDirectories(dir.resolve(name));
            Color base = PALETTE[k];
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int r = jitter(base.getRed(), random);
                        int g = jitter(base.getGreen(), random);
                        int b = jitter(base.getBlue(), random);
                        image.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
                writeImage(image, classDir.resolve(String.format("%04d.png", i)));
            }
        }
        return names;
    }

    /**
     * Writes one image of a single colour: RGB unless {@code grey}, in which case the colour's red
     * value is the grey level. The format comes from the suffix ({@code .png}, {@code .jpg}).
     */
    public static void writeSolid(Path file, Color color, int width, int height, boolean grey) throws IOException {
        BufferedImage image = new BufferedImage(width, height,
                grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (grey) {
                    image.getRaster().setSample(x, y, 0, color.getRed());
                } else {
                    image.setRGB(x, y, color.getRGB());
                }
            }
        }
        Files.createDirectories(file.getParent());
        writeImage(image, file);
    }

    private static void writeImage(BufferedImage image, Path file) throws IOException {
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
        if (!ImageIO.write(image, format.equals("jpeg") ? "jpg" : format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + file);
        }
    }

    private static int jitter(int value, SplittableRandom random) {
        return Math.max(0, Math.min(255, value + random.nextInt(-20, 21)));
    }
}
