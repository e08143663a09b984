package dev.wif4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every {@code wif4j} subcommand has: the root command's options and its own output streams. */
abstract class Subcommand implements Callable<Integer> {

    /** The root command, with the provider and federation options every subcommand shares; set by picocli. */
    @ParentCommand
    Wif4jCommand root;

    /** This subcommand's spec; set by picocli. */
    @Spec
    CommandSpec spec;

    /** @return where the subcommand prints its result */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return where the subcommand prints progress and errors */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
