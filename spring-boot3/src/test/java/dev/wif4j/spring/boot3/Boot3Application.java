package dev.wif4j.spring.boot3;

import dev.wif4j.spring.WorkloadIdentityBuilderCustomizer;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.GenericReactiveWebApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Boot 3 application with Spring AI's Anthropic starter and wif4j's, against testkit's OIDC issuer and
 * Anthropic emulator on 127.0.0.1; the identity token is a file in a fake world, so nothing reads the real
 * environment. No {@code spring.ai.anthropic.api-key} is set.
 */
final class Boot3Application implements AutoCloseable {
    static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";

    final OidcIssuer idp = OidcIssuer.start();
    final AnthropicEmulator anthropic = AnthropicEmulator.start();
    final String ruleId = anthropic.trust(idp, "workload");
    final FakeDetectionContext world = FakeDetectionContext.builder().build();

    Boot3Application() {
        rotateToken();
    }

    /** Writes a new identity token (they are single-use), as a kubelet does. */
    void rotateToken() {
        world.writeFile(TOKEN_FILE, idp.mint().sign() + "\n");
    }

    /**
     * Starts the application.
     *
     * @param type NONE, or REACTIVE (a WebFlux application: Spring Boot then defines no RestClient.Builder)
     * @param properties more properties, name=value
     */
    ConfigurableApplicationContext start(WebApplicationType type, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "wif4j.federation-rule-id=" + ruleId,
                "wif4j.organization-id=" + anthropic.organizationId(),
                "wif4j.base-url=" + anthropic.baseUrl(),
                "wif4j.provider=file",
                "wif4j.settings.file.path=" + TOKEN_FILE,
                "spring.ai.anthropic.base-url=" + anthropic.baseUrl(),
                "spring.ai.retry.max-attempts=1",
                "spring.main.banner-mode=off",
                "management.endpoints.web.exposure.include=health,info"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(App.class).web(type)
                // No web server: a reactive context as @SpringBootTest makes it.
                .contextFactory(t -> t == WebApplicationType.REACTIVE
                        ? new GenericReactiveWebApplicationContext() : new AnnotationConfigApplicationContext())
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("fakeWorld",
                        (WorkloadIdentityBuilderCustomizer) builder -> builder.context(world)))
                .properties(all.toArray(String[]::new)).run();
    }

    @Override
    public void close() {
        world.close();
        anthropic.close();
        idp.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}
}
