package dev.advtrain.core.run;

import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A run's directory: {@code config.yaml} (the resolved config), {@code metrics.csv},
 * {@code checkpoints/}, {@code model.zip}, {@code model-best.zip}, {@code report.json}, {@code training-curves.png}.
 * A new run never reuses an existing directory; files are replaced only atomically.
 */
public final class RunDirectory {

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Creates {@code runsDir/name}, or {@code name-2}, {@code name-3}, ... if it exists. */
    public static RunDirectory create(Path runsDir, String name) {
        RunDirectory run = new RunDirectory(createNew(runsDir, name));
        try {
            Files.createDirectory(run.checkpoints());
        } catch (IOException e) {
            throw new UserErrorException("cannot create " + run.checkpoints() + ": " + e.getMessage(), e);
        }
        return run;
    }

    /**
     * Creates the directory {@code parent/name}, or {@code name-2}, {@code name-3}, ... if it exists,
     * so nothing already there is written into (runs, sweeps).
     */
    public static Path createNew(Path parent, String name) {
        try {
            Files.createDirectories(parent);
            for (int i = 1; ; i++) {
                Path candidate = parent.resolve(i == 1 ? name : name + "-" + i);
                try {
                    return Files.createDirectory(candidate);
                } catch (FileAlreadyExistsException taken) {
                    // try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UserErrorException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** An existing run directory, to resume or inspect. */
    public static RunDirectory open(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        if (!Files.isDirectory(dir)) {
            throw new UserErrorException("run directory not found: " + dir);
        }
        if (!Files.isRegularFile(run.config())) {
            throw new UserErrorException(dir + " is not an advtrain run directory (no config.yaml)");
        }
        return run;
    }

    public Path root() {
        return root;
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path model() {
        return root.resolve("model.zip");
    }

    /** The weights of the epoch with the best validation robust accuracy. */
    public Path bestModel() {
        return root.resolve("model-best.zip");
    }

    public Path report() {
        return root.resolve("report.json");
    }

    public Path curves() {
        return root.resolve("training-curves.png");
    }

    /** Something that writes a file. */
    @FunctionalInterface
    public interface FileWriter {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary file in the same directory and an atomic rename, so
     * a reader (or a resumed run after a kill) sees the old file or the new one, never half of one.
     */
    public static void writeAtomically(Path target, FileWriter writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its owner-only permissions would stick to the final file.
            temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            writer.writeTo(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and harmless
                }
            }
        }
    }

    /** {@link #writeAtomically} for text. */
    public static void writeString(Path target, String text) {
        writeAtomically(target, file -> Files.writeString(file, text));
    }
}
