package dev.wif4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenSource;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wif4j identity-token}. */
@Command(name = "identity-token", description = "Fetch an identity token from the detected provider and print it "
        + "(a JWT). With --decode, print its header and claims instead; never the signature.")
final class IdentityTokenCommand extends Subcommand {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--decode", description = "Print the header and claims, with exp/iat/nbf as times.")
    boolean decode;

    @Option(names = "--show-token", description = "With --decode, also print the raw token.")
    boolean showToken;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (IdentityTokenSource source = root.builder().openIdentityTokenSource()) {
            IdentityToken token = source.fetch();
            if (!decode) {
                out.println(token.serialized());
                return 0;
            }
            out.println(describe(token));
            if (showToken) {
                out.println("token:");
                out.println(token.serialized());
            }
        }
        return 0;
    }

    /**
     * @param token a token
     * @return its header and claims as indented JSON, with readable times beside the numeric ones
     * @throws Exception never in practice
     */
    static String describe(IdentityToken token) throws Exception {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("header", token.header());
        shown.put("claims", token.claims());
        Map<String, Object> times = new LinkedHashMap<>();
        token.issuedAt().ifPresent(t -> times.put("iat", t.toString()));
        token.notBefore().ifPresent(t -> times.put("nbf", t.toString()));
        token.expiresAt().ifPresent(t -> times.put("exp", t.toString()
                + (t.isBefore(Instant.now()) ? " (expired)" : "")));
        shown.put("times", times);
        return JSON.writeValueAsString(shown);
    }
}
