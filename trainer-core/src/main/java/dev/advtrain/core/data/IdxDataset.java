package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DatasetName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;

/**
 * Reads any classification dataset distributed as the four IDX files of MNIST, such as Fashion-MNIST
 * or Kuzushiji-MNIST: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each either plain or
 * gzip-compressed with a {@code .gz} suffix (the plain file wins when both exist).
 *
 * <p>Images may have any height and width (the same in both splits) and one channel. The number of
 * classes is the largest label of either split plus one, unless an optional {@code classes.txt}
 * names the classes, one per line (blank lines ignored); otherwise the classes are named "0".."K-1".
 * Unlike {@link MnistData}, no count or size is assumed.
 *
 * <p>Usage: {@code ImageDataset fashion = IdxDataset.load(Path.of("data/fashion-mnist"));}.
 */
public final class IdxDataset {

    /** The optional file of class names, one per line, indexed by label. */
    public static final String CLASSES_FILE = "classes.txt";
    /** The suffix of a gzip-compressed IDX file. */
    public static final String GZIP_SUFFIX = ".gz";

    private static final Logger LOG = LoggerFactory.getLogger(IdxDataset.class);
    private static final String REMEDY = "replace it with an intact copy";
    /** The four files, in the order train images, train labels, test images, test labels. */
    private static final List<MnistFile> FILES = List.of(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS,
            MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);

    private IdxDataset() {
    }

    /**
     * Loads the four IDX files from {@code dir}.
     *
     * @throws UserErrorException if a file is missing or broken, the splits have different image
     *                            sizes, or {@code classes.txt} names fewer classes than the labels use
     */
    public static ImageDataset load(Path dir) {
        List<Path> paths = locate(dir, FILES);
        Path trainImagesFile = paths.get(0);
        Path trainLabelsFile = paths.get(1);
        Path testImagesFile = paths.get(2);
        Path testLabelsFile = paths.get(3);
        IdxImages trainImages = readImages(trainImagesFile);
        byte[] trainLabels = readLabels(trainLabelsFile);
        IdxImages testImages = readImages(testImagesFile);
        byte[] testLabels = readLabels(testLabelsFile);
        checkCount(trainImages, trainLabels, trainImagesFile, trainLabelsFile);
        checkCount(testImages, testLabels, testImagesFile, testLabelsFile);
        if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
            throw new UserErrorException(trainImagesFile + " holds images of " + trainImages.rows() + "x"
                    + trainImages.cols() + " but " + testImagesFile + " holds " + testImages.rows() + "x"
                    + testImages.cols() + ": the splits must come from the same dataset");
        }
        int labelClasses = Math.max(maxLabel(trainLabels), maxLabel(testLabels)) + 1;
        List<String> names = classNames(dir.resolve(CLASSES_FILE), labelClasses);
        LabeledImages train = labeled(trainImages, trainLabels, names.size());
        LabeledImages test = labeled(testImages, testLabels, names.size());
        LOG.info("Loaded IDX dataset from {}: {} training and {} test images of {}x{}, {} classes", dir, train.size(),
                test.size(), train.height(), train.width(), names.size());
        return new ImageDataset(train, test, names);
    }

    /**
     * Loads only the test split ({@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
     * plain or {@code .gz}) from {@code dir}: what a model is evaluated on. The classes are named as
     * by {@link #load}; the training labels, when present, count towards the number of classes, so
     * that a class missing from the test split still counts.
     *
     * @throws UserErrorException if a test file is missing or broken, or {@code classes.txt} names
     *                            fewer classes than the labels use
     */
    public static TestSet loadTest(Path dir) {
        List<Path> paths = locate(dir, List.of(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS));
        IdxImages images = readImages(paths.get(0));
        byte[] labels = readLabels(paths.get(1));
        checkCount(images, labels, paths.get(0), paths.get(1));
        int maxLabel = maxLabel(labels);
        Path trainLabels = present(dir, MnistFile.TRAIN_LABELS);
        if (trainLabels != null) {
            maxLabel = Math.max(maxLabel, maxLabel(readLabels(trainLabels)));
        }
        List<String> names = classNames(dir.resolve(CLASSES_FILE), maxLabel + 1);
        LabeledImages test = labeled(images, labels, names.size());
        LOG.info("Loaded the IDX test split from {}: {} images of {}x{}, {} classes", dir, test.size(), test.height(),
                test.width(), names.size());
        return new TestSet(DatasetName.IDX, test, names);
    }

    /** The files in {@code dir}, each plain or gzip-compressed; a user error listing those missing. */
    private static List<Path> locate(Path dir, List<MnistFile> files) {
        List<Path> paths = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (MnistFile file : files) {
            Path found = present(dir, file);
            if (found != null) {
                paths.add(found);
            } else {
                missing.add(file.fileName() + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new UserErrorException((Files.isDirectory(dir) ? dir + ": IDX files missing: " + String.join(", ",
                    missing) : dir + ": directory not found") + "; expected " + MnistFile.names(files)
                    + ", each plain or gzip-compressed (" + GZIP_SUFFIX + ")");
        }
        return paths;
    }

    /** The plain file if present, else the {@code .gz} one if present, else null. */
    static Path present(Path dir, MnistFile file) {
        Path plain = file.in(dir);
        Path gz = dir.resolve(file.fileName() + GZIP_SUFFIX);
        return Files.isRegularFile(plain) ? plain : Files.isRegularFile(gz) ? gz : null;
    }

    private static IdxImages readImages(Path file) {
        return read(file, (path, shownAs) -> IdxFile.readImages(path, shownAs, REMEDY));
    }

    private static byte[] readLabels(Path file) {
        return read(file, (path, shownAs) -> IdxFile.readLabels(path, shownAs, REMEDY));
    }

    /** {@code reader} on the file, or on a decompressed temporary copy of a {@code .gz} one. */
    private static <T> T read(Path file, BiFunction<Path, String, T> reader) {
        if (!isGzip(file)) {
            return reader.apply(file, file.toString());
        }
        Path plain = decompress(file);
        try {
            return reader.apply(plain, file + " (decompressed)");
        } finally {
            TempFiles.deleteQuietly(plain);
        }
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(GZIP_SUFFIX);
    }

    /** Decompresses a gzip file into a temporary file, which the caller deletes. */
    private static Path decompress(Path gz) {
        Path plain;
        try {
            plain = Files.createTempFile("advtrain-idx-", ".idx");
        } catch (IOException e) {
            throw new UserErrorException("cannot create a temporary file to decompress " + gz + ": " + e.getMessage()
                    + "; check java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ")", e);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
            Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
            return plain;
        } catch (IOException e) {
            TempFiles.deleteQuietly(plain);
            throw new UserErrorException(gz + ": cannot decompress: " + UserErrorException.firstLine(e) + "; "
                    + REMEDY, e);
        }
    }

    private static void checkCount(IdxImages images, byte[] labels, Path imagesFile, Path labelsFile) {
        if (images.count() != labels.length) {
            throw new UserErrorException(imagesFile + " has " + images.count() + " images but " + labelsFile
                    + " has " + labels.length + " labels: the two files do not belong together; " + REMEDY);
        }
    }

    private static int maxLabel(byte[] labels) {
        int max = 0;
        for (byte label : labels) {
            max = Math.max(max, label & 0xFF);
        }
        return max;
    }

    private static List<String> classNames(Path file, int labelClasses) {
        if (!Files.exists(file)) {
            return ImageDataset.numberedClasses(labelClasses);
        }
        List<String> names;
        try {
            names = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UserErrorException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (names.size() < labelClasses) {
            throw new UserErrorException(file + ": names " + names.size() + " classes but the labels go up to "
                    + (labelClasses - 1) + "; give one name per line for each of the " + labelClasses + " classes");
        }
        return names;
    }

    private static LabeledImages labeled(IdxImages images, byte[] labelBytes, int numClasses) {
        int[] labels = new int[labelBytes.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelBytes[i] & 0xFF;
        }
        return LabeledImages.wrap(images.pixels(), labels, 1, images.rows(), images.cols(), numClasses);
    }
}
