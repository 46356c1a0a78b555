package dev.advtrain.cli;

import dev.advtrain.core.BackendCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code advtrain info}: the ND4J backend and whether this machine can run it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the ND4J backend and devices, and check that they can run here (exit 2 if not).")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(BackendCheck.requireSupported());
        return ExitCode.OK;
    }
}
