package dev.wif4j.spring.internal;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when workload identity federation is asked for: {@code wif4j.enabled=true}, or (unless
 * {@code wif4j.enabled=false}) a federation rule or a profile named in the {@code wif4j.*} properties or the
 * environment. An active profile file alone does not count, so that a developer's leftover profile never
 * switches an API-key application over; {@code wif4j.enabled=true} does.
 */
public final class FederationConfiguredCondition extends SpringBootCondition {
    private static final List<String> SIGNALS = List.of("wif4j.federation-rule-id", "wif4j.profile",
            "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_PROFILE");

    /** Created by Spring. */
    public FederationConfiguredCondition() {}

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment env = context.getEnvironment();
        String enabled = env.getProperty("wif4j.enabled");
        if (StringUtils.hasText(enabled)) {
            return Boolean.parseBoolean(enabled.strip())
                    ? ConditionOutcome.match("wif4j.enabled is true")
                    : ConditionOutcome.noMatch("wif4j.enabled is false");
        }
        for (String signal : SIGNALS) {
            if (StringUtils.hasText(env.getProperty(signal))) {
                return ConditionOutcome.match(signal + " is set");
            }
        }
        return ConditionOutcome.noMatch("no federation settings: none of " + String.join(", ", SIGNALS)
                + " is set (an API key keeps working)");
    }
}
