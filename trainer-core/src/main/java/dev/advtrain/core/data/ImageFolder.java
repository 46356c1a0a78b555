package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.datavec.image.recordreader.ImageRecordReader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a directory of images with one sub-folder per class, {@code dir/<class>/<image>}, the layout
 * of torchvision's {@code ImageFolder}: every sub-folder is a class, the class names are the
 * sub-folder names in sorted order (label 0 is the first), and the images are the PNG and JPEG files
 * directly inside them (extensions {@code .png .jpg .jpeg}, lower or upper case).
 *
 * <p>Images are decoded with DataVec's {@link ImageRecordReader} (OpenCV), resized to the requested
 * height and width (bilinear, aspect ratio not kept) and converted to 1 (grey) or 3 channels. OpenCV
 * holds colour as B,G,R; the images returned here hold R,G,B, as every other reader of this package.
 *
 * <p>Usage: {@code ImageDataset data = ImageFolder.load(Path.of("data/flowers"), 64, 64, 3, 0.2, seed);}.
 * Any problem with the directory (missing, no classes, an empty class, an image that cannot be
 * decoded) is a one-line {@link UserErrorException} naming the path.
 */
public final class ImageFolder {

    /** The image file suffixes read, as given to DataVec's {@link FileSplit}. */
    private static final String[] SUFFIXES = {".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"};

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    private ImageFolder() {
    }

    /**
     * The images of a folder, class after class and within a class in file-name order.
     *
     * @param images     the images with their labels
     * @param classNames the sub-folder names, sorted, indexed by label
     * @param files      the file each image was read from, in the order of {@code images}
     */
    public record Contents(LabeledImages images, List<String> classNames, List<Path> files) {

        /** Copies the lists. */
        public Contents {
            classNames = List.copyOf(classNames);
            files = List.copyOf(files);
        }
    }

    /**
     * Reads the folder and splits it with {@link ImageDataset#split}: stratified, {@code testFraction}
     * of each class to the test split, both splits shuffled by {@code seed}.
     *
     * @throws UserErrorException       if the folder cannot be read as a classification dataset
     * @throws IllegalArgumentException if the shape is not positive, {@code channels} not 1 or 3, or
     *                                  {@code testFraction} not strictly between 0 and 1
     */
    public static ImageDataset load(Path dir, int height, int width, int channels, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must lie strictly between 0 and 1, got " + testFraction);
        }
        Contents contents = read(dir, height, width, channels);
        return ImageDataset.split(contents.images(), contents.classNames(), testFraction, seed);
    }

    /**
     * Reads every image of the folder, resized to {@code height x width} with {@code channels}
     * channels.
     *
     * @throws UserErrorException       if the directory is missing, has fewer than two class
     *                                  sub-folders, a class folder has no image, an image lies outside
     *                                  a class folder, or an image cannot be decoded
     * @throws IllegalArgumentException if the shape is not positive or {@code channels} is not 1 or 3
     */
    public static Contents read(Path dir, int height, int width, int channels) {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("need height, width >= 1 and 1 or 3 channels, got "
                    + channels + "x" + height + "x" + width);
        }
        List<Path> classDirs = classDirectories(dir);
        List<String> classNames = classDirs.stream().map(d -> d.getFileName().toString()).toList();
        Map<Path, Integer> indexOfFile = new HashMap<>();
        List<Path> files = new ArrayList<>();
        int[] labels = listImages(dir, classDirs, files, indexOfFile);
        byte[] pixels = decodeAll(dir, height, width, channels, indexOfFile);
        LOG.info("Read {} images in {} classes from {}, resized to {}x{}x{}", files.size(), classNames.size(), dir,
                channels, height, width);
        LabeledImages images = LabeledImages.wrap(pixels, labels, channels, height, width, classNames.size());
        return new Contents(images, classNames, files);
    }

    private static List<Path> classDirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserErrorException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "directory not found")
                    + "; give a directory with one sub-folder of images per class");
        }
        List<Path> classDirs;
        try (Stream<Path> entries = Files.list(dir)) {
            classDirs = entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UserErrorException(dir + ": cannot list: " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new UserErrorException(dir + ": has no class sub-folders; put the images of each class in a "
                    + "sub-folder named after the class");
        }
        if (classDirs.size() < 2) {
            throw new UserErrorException(dir + ": has only one class sub-folder (" + classDirs.get(0).getFileName()
                    + "); a classifier needs at least 2 classes");
        }
        return classDirs;
    }

    /** Fills {@code files} and {@code indexOfFile} with the images in label, then name, order; returns labels. */
    private static int[] listImages(Path dir, List<Path> classDirs, List<Path> files, Map<Path, Integer> indexOfFile) {
        checkNoStrayImages(dir, classDirs);
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < classDirs.size(); k++) {
            Path classDir = classDirs.get(k);
            List<Path> images;
            try (Stream<Path> entries = Files.list(classDir)) {
                images = entries.filter(ImageFolder::isImage).filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new UserErrorException(classDir + ": cannot list: " + e.getMessage(), e);
            }
            if (images.isEmpty()) {
                throw new UserErrorException(classDir + ": class folder without images (looked for "
                        + String.join(" ", Arrays.asList(SUFFIXES)) + "); add images or remove the folder");
            }
            for (Path image : images) {
                indexOfFile.put(image.toAbsolutePath().normalize(), files.size());
                files.add(image);
                labels.add(k);
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    /** DataVec reads images at any depth; only {@code dir/<class>/<image>} is allowed here. */
    private static void checkNoStrayImages(Path dir, List<Path> classDirs) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(ImageFolder::isImage)
                    .filter(f -> f.getParent() == null || !classDirs.contains(f.getParent()))
                    .findFirst()
                    .ifPresent(f -> {
                        throw new UserErrorException(f + ": image outside a class folder; images must lie directly "
                                + "in " + dir + "/<class>/");
                    });
        } catch (IOException e) {
            throw new UserErrorException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        return Arrays.stream(SUFFIXES).anyMatch(name::endsWith);
    }

    /** Decodes every image with DataVec; returns the pixels in the order of {@code indexOfFile}'s values. */
    private static byte[] decodeAll(Path dir, int height, int width, int channels, Map<Path, Integer> indexOfFile) {
        int perImage = channels * height * width;
        byte[] pixels = new byte[indexOfFile.size() * perImage];
        boolean[] seen = new boolean[indexOfFile.size()];
        ImageRecordReader reader = new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator());
        reader.setLogLabelCountOnInit(false);
        try {
            reader.initialize(new FileSplit(dir.toFile(), SUFFIXES, true));
            while (reader.hasNext()) {
                List<Writable> record = nextRecord(reader);
                Path file = reader.getCurrentFile().toPath().toAbsolutePath().normalize();
                Integer index = indexOfFile.get(file);
                if (index == null || seen[index]) {
                    throw new IllegalStateException("DataVec read an unexpected image " + file);
                }
                seen[index] = true;
                INDArray image = ((NDArrayWritable) record.get(0)).get();
                copyRgb(image, channels, pixels, index * perImage, file);
            }
        } catch (IOException e) {
            throw new UserErrorException(dir + ": cannot read the images: " + e.getMessage(), e);
        } finally {
            closeQuietly(reader);
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new IllegalStateException("DataVec skipped image " + i + " of " + dir);
            }
        }
        return pixels;
    }

    private static List<Writable> nextRecord(ImageRecordReader reader) {
        try {
            return reader.next();
        } catch (RuntimeException e) {
            File file = reader.getCurrentFile();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserErrorException((file != null ? file.toString() : "an image") + ": cannot decode the image ("
                    + UserErrorException.firstLine(cause) + "); replace or remove the file", e);
        }
    }

    /**
     * Copies one decoded image ([1, C, H, W], values 0..255, colour in OpenCV's B,G,R order) into
     * {@code target} as unsigned bytes in R,G,B order.
     */
    private static void copyRgb(INDArray image, int channels, byte[] target, int offset, Path file) {
        float[] values = image.reshape('c', new long[] {image.length()}).toFloatVector();
        int plane = values.length / channels;
        for (int c = 0; c < channels; c++) {
            int from = (channels == 3 ? 2 - c : c) * plane;
            for (int p = 0; p < plane; p++) {
                float v = values[from + p];
                if (!(v >= 0 && v <= 255)) {
                    throw new UserErrorException(file + ": pixel value " + v + " outside 0..255 (more than 8 bits "
                            + "per channel?); convert the image to 8-bit PNG or JPEG");
                }
                target[offset + c * plane + p] = (byte) Math.round(v);
            }
        }
    }

    private static void closeQuietly(ImageRecordReader reader) {
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the image reader failed: {}", e.toString());
        }
    }
}
