package dev.wif4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wif4j token}. */
@Command(name = "token", description = "Exchange an identity token for an Anthropic access token and print it, "
        + "for shell scripts: curl -H \"Authorization: Bearer $(wif4j token)\" -H 'anthropic-beta: oauth-2025-04-20' ...")
final class TokenCommand extends Subcommand {

    @Option(names = "--json", description = "Print JSON: access_token, token_type, expires_at, expires_in, scope.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (WorkloadIdentity identity = root.builder().build()) {
            AccessToken token = identity.credentials().token();
            out().println(json ? json(token) : token.value());
        }
        return 0;
    }

    private static String json(AccessToken token) throws JsonProcessingException {
        ObjectNode node = IdentityTokenCommand.JSON.createObjectNode();
        node.put("access_token", token.value());
        node.put("token_type", "Bearer");
        node.put("expires_at", token.expiresAt().toString());
        node.put("expires_in", Math.max(0, token.expiresAt().getEpochSecond() - Instant.now().getEpochSecond()));
        token.scope().ifPresent(s -> node.put("scope", s));
        return IdentityTokenCommand.JSON.writeValueAsString(node);
    }
}
