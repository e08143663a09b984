package dev.wif4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code wif4j token}. */
@Command(name = "token", description = "Exchange an identity token for an Anthropic access token and print it, "
        + "for shell scripts: curl -H \"Authorization: Bearer $(wif4j token)\" -H 'anthropic-beta: oauth-2025-04-20' ...")
final class TokenCommand implements Callable<Integer> {

    @ParentCommand
    Wif4jCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON: access_token, token_type, expires_at, expires_in, scope.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (WorkloadIdentity identity = root.builder().build()) {
            AccessToken token = identity.credentials().token();
            if (!json) {
                out.println(token.value());
                return 0;
            }
            ObjectNode node = IdentityTokenCommand.JSON.createObjectNode();
            node.put("access_token", token.value());
            node.put("token_type", "Bearer");
            node.put("expires_at", token.expiresAt().toString());
            node.put("expires_in", Math.max(0, token.expiresAt().getEpochSecond() - Instant.now().getEpochSecond()));
            token.scope().ifPresent(s -> node.put("scope", s));
            out.println(IdentityTokenCommand.JSON.writeValueAsString(node));
        }
        return 0;
    }
}
