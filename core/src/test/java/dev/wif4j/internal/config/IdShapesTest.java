package dev.wif4j.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written id checks accept exactly what the documented patterns accept. */
class IdShapesTest {
    private static final Pattern RULE_ID = Pattern.compile("fdrl_[A-Za-z0-9]{1,128}");
    private static final Pattern WORKSPACE_ID = Pattern.compile("wrkspc_[A-Za-z0-9]{1,128}|default");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String ALPHABET = "fdrl_wrkspcdefaultAZaz09-gG \u00e9\u0661\n";

    @Test
    void sameVerdictAsThePatterns() {
        List<String> samples = new ArrayList<>(List.of("", "fdrl_", "fdrl_a", "fdrl_" + "a".repeat(128),
                "fdrl_" + "a".repeat(129), "FDRL_a", "fdrl_a-b", "fdrl_\u0661", "default", "defaults", "wrkspc_",
                "wrkspc_x", "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-42661417400F",
                "123e4567-e89b-12d3-a456-42661417400g", "123e4567e89b-12d3-a456-4266141740000",
                "123e4567-e89b-12d3-a456-4266141740001"));
        Random random = new Random(32);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "fdrl_" : random.nextBoolean() ? "wrkspc_" : "");
            int n = random.nextInt(random.nextInt(10) == 0 ? 140 : 40);
            for (int j = 0; j < n; j++) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            samples.add(s.toString());
            samples.add(new java.util.UUID(random.nextLong(), random.nextLong()).toString());
        }
        for (String s : samples) {
            assertEquals(RULE_ID.matcher(s).matches(), IdShapes.prefixed(s, "fdrl_"), s);
            assertEquals(WORKSPACE_ID.matcher(s).matches(), s.equals("default") || IdShapes.prefixed(s, "wrkspc_"), s);
            assertEquals(UUID.matcher(s).matches(), IdShapes.uuid(s), s);
            String upper = s.toUpperCase(java.util.Locale.ROOT);
            assertEquals(UUID.matcher(upper).matches(), IdShapes.uuid(upper), upper);
        }
    }

    /** ProfileLocator's rule before it was written by hand. */
    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    private static final String PROFILE_ALPHABET = "aZ09_-..///\\ \u00e9\u0661\n";

    @Test
    void profileNamesHaveTheSameVerdictAsThePattern() {
        List<String> samples = new ArrayList<>(List.of("", ".", "..", "a", ".a", "a.", "a..b", "a.b", "-", "_x",
                "a".repeat(128), "a".repeat(129), "prod/x", "..\\x", "\u00e9t\u00e9", "work-1.2_b"));
        Random random = new Random(33);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(random.nextInt(10) == 0 ? 140 : 8);
            for (int j = 0; j < n; j++) {
                s.append(PROFILE_ALPHABET.charAt(random.nextInt(PROFILE_ALPHABET.length())));
            }
            samples.add(s.toString());
        }
        for (String s : samples) {
            assertEquals(PROFILE_NAME.matcher(s).matches() && !s.contains(".."), IdShapes.profileName(s), s);
        }
    }
}
