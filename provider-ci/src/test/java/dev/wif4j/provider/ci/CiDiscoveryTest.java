package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.buildsupport.ChildProgram;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.buildsupport.StandInCommand;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider as an application meets it, in a JVM of its own with a clean environment: on the module path
 * ({@code dev.wif4j.provider.ci}, found through {@code provides}) and on the class path (through
 * {@code META-INF/services}), in a GitLab job (a variable) and a Buildkite job (the agent, a stand-in, found on the
 * real PATH of the child and run from the named module).
 */
class CiDiscoveryTest {
    @TempDir
    Path home;

    @AutoClose
    private static final OidcIssuer issuer = OidcIssuer.start();

    @Test
    @DisplayName("on the module path, a GitLab job: ServiceLoader finds dev.wif4j.provider.ci, which reads the id_tokens variable")
    void gitLabOnTheModulePath() throws Exception {
        List<String> lines = run(true, CiEnvironments.gitLab(issuer));
        assertTrue(lines.contains("provider-module=dev.wif4j.provider.ci"), String.join("\n", lines));
        assertTrue(lines.contains("chosen=ci"), String.join("\n", lines));
        assertTrue(lines.contains("subject=" + CiEnvironments.GITLAB_SUBJECT), String.join("\n", lines));
    }

    @Test
    @DisplayName("on the module path, a Buildkite job: the agent is found on PATH and run from the named module")
    void buildkiteOnTheModulePath() throws Exception {
        StandInCommand agent = StandInCommand.install(home.resolve("bin/buildkite-agent"))
                .printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        List<String> lines = run(true, CiEnvironments.buildkite("/usr/bin:" + home.resolve("bin")));
        assertTrue(lines.contains("chosen=ci"), String.join("\n", lines));
        assertTrue(lines.contains("subject=" + CiEnvironments.BUILDKITE_SUBJECT), String.join("\n", lines));
        assertEquals(1, agent.calls().size());
    }

    @Test
    @DisplayName("on the class path, a GitLab job: ServiceLoader finds the provider through META-INF/services")
    void gitLabOnTheClassPath() throws Exception {
        List<String> lines = run(false, CiEnvironments.gitLab(issuer));
        assertTrue(lines.contains("provider-module=null"), "class path: the unnamed module\n" + lines);
        assertTrue(lines.contains("chosen=ci"), String.join("\n", lines));
        assertTrue(lines.contains("subject=" + CiEnvironments.GITLAB_SUBJECT), String.join("\n", lines));
    }

    private List<String> run(boolean modulePath, Map<String, String> env) throws Exception {
        List<String> wif4j = new ArrayList<>();
        List<String> application = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (name.endsWith("/test-classes")) {
                application.add(entry); // modulepath.Main, in the unnamed module
            } else if (name.endsWith("/classes") || name.matches(".*/(wif4j-core|jackson-[a-z]+)-[^/]*\\.jar")) {
                wif4j.add(entry); // provider-ci's classes, core and core's Jackson: the provider itself needs only the JDK
            }
        }
        ChildProgram child = ChildProgram.of("modulepath.Main", modulePath ? application : all(wif4j, application));
        if (modulePath) {
            child.modulePath(wif4j, "dev.wif4j");
        }
        // Detection and the fetch only: the rule and organization are never sent anywhere.
        ChildProgram.Run run = child.in(home).env(env).env("AWS_EC2_METADATA_DISABLED", "true")
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_modulepath")
                .env("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000").run();
        assertEquals(0, run.exit(), run.output());
        return run.stdout().lines().map(String::strip).toList();
    }

    private static List<String> all(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }
}
