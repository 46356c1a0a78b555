package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DatasetName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 ({@code cifar-10-binary.tar.gz}, unpacked): the training
 * batches {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin}, each a
 * sequence of 3,073-byte records: one label byte (0..9), then the 32x32 image as 1,024 red, 1,024
 * green and 1,024 blue bytes, each plane row-major. That is already the channel, row, column order
 * of {@link LabeledImages}, so pixels are copied unchanged.
 *
 * <p>The test batch and at least one training batch are required (the full set has 50,000 training
 * and 10,000 test images); which were read is logged. Class names come from
 * {@code batches.meta.txt} when present (one per line), otherwise they are the standard ten
 * ({@link #CLASS_NAMES}).
 *
 * <p>Usage: {@code ImageDataset cifar = Cifar10Files.load(Path.of("data/cifar-10-batches-bin"));}; the
 * directory that contains {@code cifar-10-batches-bin/} is accepted too.
 */
public final class Cifar10Files {

    /** The sub-directory the official archive unpacks to. */
    public static final String BATCHES_DIR = "cifar-10-batches-bin";
    /** The test batch. */
    public static final String TEST_BATCH = "test_batch.bin";
    /** The optional file of class names, one per line. */
    public static final String META_FILE = "batches.meta.txt";
    /** Number of training batches in the official distribution. */
    public static final int TRAIN_BATCHES = 5;
    /** Channels of a CIFAR-10 image: red, green, blue. */
    public static final int CHANNELS = 3;
    /** Height of a CIFAR-10 image. */
    public static final int HEIGHT = 32;
    /** Width of a CIFAR-10 image. */
    public static final int WIDTH = 32;
    /** Bytes per record: one label byte, then the pixels. */
    public static final int RECORD_BYTES = 1 + CHANNELS * HEIGHT * WIDTH;
    /** The standard class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private static final Logger LOG = LoggerFactory.getLogger(Cifar10Files.class);
    private static final String REMEDY = "replace it with the file from an intact cifar-10-binary.tar.gz";

    private Cifar10Files() {
    }

    /** Returns the name of training batch {@code number} (1..5), e.g. {@code data_batch_1.bin}. */
    public static String trainBatch(int number) {
        return "data_batch_" + number + ".bin";
    }

    /**
     * Loads CIFAR-10 from {@code dir} or from {@code dir/cifar-10-batches-bin}.
     *
     * @throws UserErrorException if the test batch or every training batch is missing, or a file is
     *                            broken (length not a multiple of 3,073 bytes, a label above 9)
     */
    public static ImageDataset load(Path dir) {
        Path batches = locate(dir);
        List<Path> trainFiles = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int b = 1; b <= TRAIN_BATCHES; b++) {
            Path file = batches.resolve(trainBatch(b));
            if (Files.isRegularFile(file)) {
                trainFiles.add(file);
            } else {
                missing.add(file.getFileName().toString());
            }
        }
        if (trainFiles.isEmpty()) {
            throw new UserErrorException(batches + ": no CIFAR-10 training batch (" + trainBatch(1) + " .. "
                    + trainBatch(TRAIN_BATCHES) + "); unpack cifar-10-binary.tar.gz there");
        }
        LabeledImages train = readBatches(trainFiles);
        LabeledImages test = readBatches(List.of(batches.resolve(TEST_BATCH)));
        List<String> names = classNames(batches.resolve(META_FILE));
        LOG.info("Loaded CIFAR-10 from {}: {} training images from {}{}, {} test images from {}", batches,
                train.size(), trainFiles.stream().map(f -> f.getFileName().toString()).toList(),
                missing.isEmpty() ? "" : " (missing " + missing + ")", test.size(), TEST_BATCH);
        return new ImageDataset(train, test, names);
    }

    /**
     * Loads only the test batch ({@code test_batch.bin}) from {@code dir} or {@code
     * dir/cifar-10-batches-bin}, with the class names: what a model is evaluated on. The training
     * batches need not be there.
     *
     * @throws UserErrorException if the test batch is missing or broken
     */
    public static TestSet loadTest(Path dir) {
        Path batches = locate(dir);
        LabeledImages test = readBatches(List.of(batches.resolve(TEST_BATCH)));
        LOG.info("Loaded the CIFAR-10 test batch from {}: {} images", batches, test.size());
        return new TestSet(DatasetName.CIFAR10, test, classNames(batches.resolve(META_FILE)));
    }

    private static Path locate(Path dir) {
        Path nested = dir.resolve(BATCHES_DIR);
        if (!Files.exists(dir.resolve(TEST_BATCH)) && Files.isDirectory(nested)) {
            return nested;
        }
        if (!Files.isDirectory(dir)) {
            throw new UserErrorException(dir + ": directory not found; give the directory that holds "
                    + TEST_BATCH + " and " + trainBatch(1) + " .. " + trainBatch(TRAIN_BATCHES));
        }
        if (!Files.exists(dir.resolve(TEST_BATCH))) {
            throw new UserErrorException(dir.resolve(TEST_BATCH) + ": file not found; unpack cifar-10-binary.tar.gz "
                    + "so that " + dir + " (or " + nested + ") holds " + TEST_BATCH + " and the training batches");
        }
        return dir;
    }

    /** Reads and concatenates batch files. */
    static LabeledImages readBatches(List<Path> files) {
        List<byte[]> contents = new ArrayList<>();
        int records = 0;
        for (Path file : files) {
            byte[] bytes = readChecked(file);
            contents.add(bytes);
            records += bytes.length / RECORD_BYTES;
        }
        int perImage = RECORD_BYTES - 1;
        byte[] pixels = new byte[records * perImage];
        int[] labels = new int[records];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int r = 0; r < bytes.length / RECORD_BYTES; r++, i++) {
                int start = r * RECORD_BYTES;
                int label = bytes[start] & 0xFF;
                if (label >= CLASS_NAMES.size()) {
                    throw new UserErrorException(files.get(f) + ": label " + label + " in record " + r
                            + " is outside 0..9: not a CIFAR-10 binary batch (CIFAR-100's has two label bytes); "
                            + REMEDY);
                }
                labels[i] = label;
                System.arraycopy(bytes, start + 1, pixels, i * perImage, perImage);
            }
        }
        return LabeledImages.wrap(pixels, labels, CHANNELS, HEIGHT, WIDTH, CLASS_NAMES.size());
    }

    private static byte[] readChecked(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size == 0 || size % RECORD_BYTES != 0 || size > Integer.MAX_VALUE - 8) {
                throw new UserErrorException(file + ": " + size + " bytes is not a positive multiple of the "
                        + RECORD_BYTES + "-byte CIFAR-10 record (1 label byte + 3072 pixel bytes); " + REMEDY);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserErrorException(file + ": file not found; " + REMEDY, e);
        } catch (IOException e) {
            throw new UserErrorException(file + ": cannot read: " + e.getMessage() + "; " + REMEDY, e);
        }
        if (bytes.length % RECORD_BYTES != 0) {
            throw new UserErrorException(file + ": changed while being read; read it again when it is complete");
        }
        return bytes;
    }

    private static List<String> classNames(Path meta) {
        if (!Files.exists(meta)) {
            return CLASS_NAMES;
        }
        List<String> names;
        try {
            names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UserErrorException(meta + ": cannot read: " + e.getMessage() + "; delete it to use the "
                    + "standard class names", e);
        }
        if (names.size() != CLASS_NAMES.size()) {
            throw new UserErrorException(meta + ": has " + names.size() + " class names, expected "
                    + CLASS_NAMES.size() + " (one per line); fix it or delete it to use the standard names");
        }
        return names;
    }
}
