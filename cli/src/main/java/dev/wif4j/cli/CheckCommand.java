package dev.wif4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import dev.wif4j.cli.internal.RuleCheck;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.JsonAnswer;
import dev.wif4j.spi.support.JsonAnswerException;
import dev.wif4j.spi.support.SmallFiles;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code wif4j check}. */
@Command(name = "check", description = "Evaluate a federation rule (and its issuer) against a token, offline, the "
        + "way Anthropic does, explaining each check. Exit 0 when Anthropic would accept the token, 1 when not.")
final class CheckCommand extends Subcommand {
    private static final int MAX_TOKEN_BYTES = 16 * 1024;
    private static final int MAX_JSON_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--rule", required = true, paramLabel = "FILE", description = "The rule JSON, as the Console or "
            + "the Admin API shows it.")
    Path rule;

    @Option(names = "--issuer", paramLabel = "FILE", description = "The issuer JSON (issuer_url, jwks or "
            + "jwks_source/jwks_keys, max_jwt_lifetime_seconds, check_jti).")
    Path issuer;

    @Option(names = "--jwks", paramLabel = "FILE", description = "The issuer's keys (a JWKS document or array), "
            + "to verify the signature of a discovery issuer offline.")
    Path jwks;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The token to check; by default one is "
            + "fetched from the detected provider.")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        JsonNode ruleJson = readJson(rule, "--rule");
        JsonNode issuerJson = issuer == null ? null : readJson(issuer, "--issuer");
        JWKSet keys;
        try {
            keys = jwks != null ? RuleCheck.parseKeys(read(jwks, "--jwks", MAX_JSON_BYTES))
                    : issuerJson == null ? null : RuleCheck.inlineKeys(issuerJson);
        } catch (ParseException e) {
            // Not the parser's message: it may quote the input, and the file may be a secret given by mistake.
            throw new ParameterException(spec.commandLine(), "The keys " + (jwks != null ? "in --jwks " + shown(jwks)
                    : "inline in --issuer " + shown(issuer)) + " are not JWKs: expected a JWKS document {\"keys\": [...]} "
                    + "or an array of public JWKs (the text is not shown).");
        }
        IdentityToken token = tokenFile != null
                ? IdentityToken.parse(read(tokenFile, "--token-file", MAX_TOKEN_BYTES).strip()) : fetch();
        Clock clock = root.context() != null ? root.context().clock() : Clock.systemUTC();
        List<RuleCheck.Result> results = RuleCheck.evaluate(token, ruleJson, issuerJson, keys, clock.instant());
        for (RuleCheck.Result r : results) {
            // Details quote the token's claims and the rule's values: escaped, so none can forge a line.
            out.printf("%-4s  %-16s %s%s%n", r.status(), r.check(), Text.escape(r.detail(), 2000),
                    r.reason() == null ? "" : "  [" + r.reason() + "]");
        }
        List<String> reasons = results.stream().filter(r -> r.status() == RuleCheck.Status.FAIL)
                .map(RuleCheck.Result::reason).distinct().toList();
        if (reasons.isEmpty()) {
            out.println("Result: PASS. Anthropic's checks that can be made offline accept this token"
                    + (results.stream().anyMatch(r -> r.status() == RuleCheck.Status.SKIP) ? " (see SKIP lines)." : "."));
            return 0;
        }
        out.println("Result: FAIL. Anthropic would refuse this token: " + String.join(", ", reasons) + ".");
        return 1;
    }

    private IdentityToken fetch() {
        try (IdentityTokenSource source = root.builder().openIdentityTokenSource()) {
            return source.fetch();
        }
    }

    private JsonNode readJson(Path file, String option) {
        String text = read(file, option, MAX_JSON_BYTES);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            // First on core's reader: its errors say what is wrong and where, never a word of the file (Jackson's own
            // quote it, and the file may be a secret given by mistake), and it refuses a key given twice.
            JsonAnswer.parse(bytes, option);
        } catch (JsonAnswerException e) {
            throw new ParameterException(spec.commandLine(), option + " " + shown(file) + switch (e.kind()) {
                case NOT_AN_OBJECT -> " is not a JSON object.";
                case REPEATED_KEY -> " repeats a key, so which value counts is unclear (the text is not shown).";
                default -> " is not JSON: " + e.detail() + " (the text is not shown).";
            });
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " " + shown(file) + " cannot be read as JSON ("
                    + e.getClass().getSimpleName() + "; the text is not shown).");
        }
    }

    private static String shown(Path file) {
        return Text.escape(String.valueOf(file), 500);
    }

    /** Every input is capped before it is read: {@code /dev/zero} or a 300 MB file must not exhaust memory. */
    private String read(Path file, String option, int maxBytes) {
        try {
            return new String(SmallFiles.read(file, maxBytes), StandardCharsets.UTF_8);
        } catch (SmallFiles.TooLargeException e) {
            throw new ParameterException(spec.commandLine(), option + " " + shown(file) + " is larger than " + maxBytes
                    + " bytes" + (maxBytes == MAX_TOKEN_BYTES ? "; Anthropic refuses identity tokens over 16 KiB." : "."));
        } catch (SmallFiles.NotRegularFileException e) {
            throw new ParameterException(spec.commandLine(), option + " " + shown(file) + " is not a regular file"
                    + (e.isDirectory() ? " (a directory)." : " (a FIFO, a device or a socket); it was not read."));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " " + shown(file) + " cannot be read ("
                    + e.getClass().getSimpleName() + ").");
        }
    }
}
