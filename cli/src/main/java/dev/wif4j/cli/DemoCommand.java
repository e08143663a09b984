package dev.wif4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wif4j demo}. */
@Command(name = "demo", description = "Run the whole flow on 127.0.0.1: an OIDC issuer writes a token file, wif4j "
        + "detects it, exchanges it at an emulated Anthropic token endpoint, reuses the cached token and calls an "
        + "emulated /v1/messages. Nothing leaves the machine.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            Demo.run(print);
        } finally {
            spec.commandLine().getOut().print(buffer.toString(StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
