package dev.wif4j.cli;

import dev.wif4j.spi.DetectionContext;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code wif4j} command's entry point. */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine(null).execute(args));
    }

    /**
     * Runs the command in-process, for tests and for programs that embed it.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @param context the environment to detect in, or {@code null} for the real one
     * @return the exit code: 0 success, 1 a failure the output explains, 2 a usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, DetectionContext context) {
        CommandLine line = commandLine(context);
        line.setOut(out);
        line.setErr(err);
        try {
            return line.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandLine commandLine(DetectionContext context) {
        Wif4jCommand root = new Wif4jCommand(context);
        CommandLine line = new CommandLine(root);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // One readable paragraph; the stack trace only on request.
            PrintWriter err = cmd.getErr();
            err.println("wif4j: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            return 1;
        });
        return line;
    }
}
