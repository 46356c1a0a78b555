package dev.advtrain.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where long work reports how far it has got. The CLI shows a progress bar on a terminal; elsewhere
 * (logs, CI) {@link #logging()} writes a plain line every tenth of the way.
 */
public interface Progress {

    /** Starts a task of {@code total} units. */
    Task start(String label, long total);

    /** One unit of long work. */
    interface Task extends AutoCloseable {
        /** {@code n} more units done. */
        void step(long n);

        /** A short status shown beside the progress, e.g. the running loss. */
        void status(String text);

        @Override
        void close();
    }

    /** Reports nothing. */
    static Progress none() {
        return (label, total) -> new Task() {
            @Override
            public void step(long n) {
            }

            @Override
            public void status(String text) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Plain SLF4J lines at every 10% of each task. */
    static Progress logging() {
        Logger log = LoggerFactory.getLogger(Progress.class);
        return (label, total) -> new Task() {
            private long done;
            private int lastDecile;
            private String status = "";
            private final long started = System.nanoTime();

            @Override
            public void step(long n) {
                done += n;
                int decile = total <= 0 ? 10 : (int) Math.min(10, done * 10 / total);
                if (decile > lastDecile) {
                    lastDecile = decile;
                    log.info("{}: {}% ({}/{}, {} s){}", label, decile * 10, done, total,
                            String.format("%.0f", (System.nanoTime() - started) / 1e9), status.isEmpty() ? "" : " " + status);
                }
            }

            @Override
            public void status(String text) {
                status = text;
            }

            @Override
            public void close() {
            }
        };
    }
}
