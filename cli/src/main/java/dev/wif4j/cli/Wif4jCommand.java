package dev.wif4j.cli;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.spi.DetectionContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command; its subcommands do the work. */
@Command(name = "wif4j", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Workload identity federation for the Claude API: see what this workload holds, "
                + "and why Anthropic accepts or refuses it.",
        subcommands = {DetectCommand.class, IdentityTokenCommand.class, TokenCommand.class, CheckCommand.class,
                TokenFileCommand.class, DemoCommand.class})
final class Wif4jCommand implements Runnable {

    private final DetectionContext context;

    @Option(names = "--verbose", description = "Print stack traces with errors.", scope = picocli.CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Option(names = "--provider", paramLabel = "ID", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Use this identity provider (as WIF4J_PROVIDER), skipping detection.")
    String provider;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Wif4jCommand(DetectionContext context) {
        this.context = context;
    }

    /** @return a builder for the environment this command runs in */
    WorkloadIdentityBuilder builder() {
        WorkloadIdentityBuilder builder = WorkloadIdentity.builder();
        if (context != null) {
            builder.context(context);
        }
        if (provider != null) {
            builder.provider(provider, "--provider");
        }
        return builder;
    }

    /** @return the context given in-process, or {@code null} for the real environment */
    DetectionContext context() {
        return context;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
