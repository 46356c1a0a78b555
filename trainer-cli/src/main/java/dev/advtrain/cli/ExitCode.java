package dev.advtrain.cli;

/** The documented exit codes of the {@code advtrain} command. */
public final class ExitCode {

    /** Success. */
    public static final int OK = 0;
    /** {@code evaluate}'s gate failed: robust accuracy below a bar, or a sanity warning with --fail-on-warning. */
    public static final int BELOW_BAR = 1;
    /** A user error: bad option, config, data or model file. One line names the problem. */
    public static final int USAGE = 2;
    /** An unexpected failure: a bug, reported with its stack trace in the log. */
    public static final int FAILURE = 3;

    private ExitCode() {
    }
}
