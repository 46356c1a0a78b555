package dev.advtrain.core.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Best-effort clean-up of the temporary files and directories the fetcher makes. */
final class TempFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);

    private TempFiles() {
    }

    /** Deletes a file if it exists; a failure is logged, not thrown. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary file {}: {}", file, e.toString());
        }
    }

    /** Deletes a directory and everything in it; failures are logged, not thrown. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            LOG.warn("Could not clean up temporary directory {}: {}", dir, e.toString());
            return;
        }
        paths.forEach(TempFiles::deleteQuietly);
    }
}
