package dev.advtrain.cli;

import dev.advtrain.core.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on a terminal (stderr), one per task. */
final class TerminalProgress implements Progress {

    @Override
    public Task start(String label, long total) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
        return new Task() {
            @Override
            public void step(long n) {
                bar.stepBy(n);
            }

            @Override
            public void status(String text) {
                bar.setExtraMessage(" " + text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /** A progress bar where a person is watching, plain log lines otherwise. */
    static Progress forConsole() {
        return System.console() != null && System.getenv("CI") == null ? new TerminalProgress() : Progress.logging();
    }
}
