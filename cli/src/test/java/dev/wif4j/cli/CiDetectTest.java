package dev.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code wif4j detect} lists the {@code ci} provider, and a CI job on cloud hardware picks the job's identity. */
class CiDetectTest {

    @Test
    @DisplayName("a GitLab job in a Kubernetes pod: detect shows the ci row chosen (priority 45) over k8s")
    void gitLabJobInAPod() {
        try (OidcIssuer issuer = OidcIssuer.start();
                FakeDetectionContext context = FakeDetectionContext.builder().env(CiEnvironments.gitLab(issuer))
                        .env("KUBERNETES_SERVICE_HOST", "10.0.0.1")
                        .file("/var/run/secrets/anthropic.com/token", issuer.mint().subject("system:serviceaccount:ci:runner").sign())
                        .networkForbidden().build()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Main.run(new String[] {"detect"}, new PrintWriter(out), new PrintWriter(err), context);
            String shown = out.toString();
            assertTrue(shown.matches("(?s).*\\bci\\s+45\\s+chosen\\s+GitLab CI/CD job \\(GITLAB_CI is true\\): "
                    + "ANTHROPIC_ID_TOKEN holds a token.*"), shown + err);
            assertTrue(shown.contains("Chosen: ci"), shown);
            assertTrue(shown.matches("(?s).*k8s\\s+30\\s+available.*"), shown);
        }
    }
}
