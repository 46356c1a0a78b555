package dev.advtrain.cli;

import dev.advtrain.core.UserErrorException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code advtrain} command: {@code train}, {@code finetune}, {@code sweep}, {@code evaluate}, {@code attack} and {@code info}. A thin adapter: subcommands
 * turn options into the library's config objects, call the library, and map outcomes to
 * {@link ExitCode}s. User errors print one line (a stack trace only with {@code --debug}).
 */
@Command(name = "advtrain", mixinStandardHelpOptions = true, version = "advtrain 0.1.0",
        description = "Adversarial training and robustness evaluation for Deeplearning4j image classifiers.",
        subcommands = {TrainCommand.class, FinetuneCommand.class, SweepCommand.class, EvaluateCommand.class, AttackCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: train, finetune, sweep, evaluate, attack or info");
    }

    public static void main(String... args) {
        System.exit(mainWithoutExit(args));
    }

    /** Runs the command in-process and returns its exit code (for tests and embedding). */
    public static int mainWithoutExit(String... args) {
        return newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    /** A command line writing to the given streams. */
    static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args) -> {
            // One line like every user error, pointing to the help rather than printing it.
            PrintWriter w = e.getCommandLine().getErr();
            w.println("advtrain: " + UserErrorException.firstLine(e) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (main.debug) {
                e.printStackTrace(w);
            }
            w.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean userError = e instanceof UserErrorException;
            PrintWriter w = commandLine.getErr();
            w.println("advtrain: " + (userError ? "" : "unexpected error: ") + UserErrorException.firstLine(e));
            if (main.debug) {
                e.printStackTrace(w);
            } else if (!userError) {
                w.println("advtrain: run with --debug for the stack trace");
            }
            w.flush();
            return userError ? ExitCode.USAGE : ExitCode.FAILURE;
        });
        return cli;
    }
}
