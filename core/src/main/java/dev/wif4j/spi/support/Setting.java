package dev.wif4j.spi.support;

import dev.wif4j.spi.DetectionContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One provider setting, resolved: its value (stripped; blank counts as unset) and where that value
 * came from, so that every message names the place the user has to fix. Obtained from
 * {@link ProviderSettings#get(String)}; immutable.
 *
 * <p>The typed readers ({@link #asInt}, {@link #asDuration}, {@link #asChoice}, ...) return the
 * default when the setting is unset and throw {@link SettingException} when it is set but malformed.
 */
public final class Setting {
    private final ProviderSettings owner;
    private final String key;
    private final List<String> variables;
    private final boolean secret;
    private final String value;
    private final String source;

    Setting(ProviderSettings owner, String key, List<String> variables, boolean secret) {
        this.owner = owner;
        this.key = key;
        this.variables = List.copyOf(variables);
        this.secret = secret;
        ProviderSettings.Found found = owner.lookup(key, this.variables);
        this.value = found == null ? null : found.value();
        this.source = found == null ? null : found.source();
    }

    /**
     * The same setting, falling back to these environment variables (a cloud's or a tool's own, such
     * as {@code AWS_REGION}) after wif4j's own sources, in the order given.
     *
     * @param names the variables' names
     * @return the setting with the fallbacks
     */
    public Setting orEnv(String... names) {
        List<String> all = new ArrayList<>(variables);
        all.addAll(List.of(names));
        return new Setting(owner, key, all, secret);
    }

    /**
     * The qualified key, e.g. {@code aws.duration.seconds}.
     *
     * @return the key
     */
    public String key() {
        return owner.provider() + "." + key;
    }

    /**
     * wif4j's environment variable for this setting, e.g. {@code WIF4J_AWS_DURATION_SECONDS}: the name
     * to show a user who must set it.
     *
     * @return the variable's name
     */
    public String variable() {
        return DetectionContext.environmentName(key());
    }

    /**
     * Every name the setting is read from, for a message asking the user to set it, e.g.
     * {@code WIF4J_AWS_REGION (or AWS_REGION, AWS_DEFAULT_REGION)}.
     *
     * @return the names
     */
    public String names() {
        return variables.isEmpty() ? variable() : variable() + " (or " + String.join(", ", variables) + ")";
    }

    /**
     * Whether any source sets it.
     *
     * @return {@code true} if a value was found
     */
    public boolean isSet() {
        return value != null;
    }

    /**
     * The value.
     *
     * @return the stripped value, or empty when unset
     */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /**
     * The value, or a default.
     *
     * @param defaultValue returned when unset
     * @return the value or the default
     */
    public String value(String defaultValue) {
        return value != null ? value : defaultValue;
    }

    /**
     * The value, which must be set.
     *
     * @param hint what the value is and where to find it, e.g. "the application ID URI of the app
     *     registration, such as api://..."; shown after "set NAME to"
     * @return the value
     * @throws SettingException when no source sets it
     */
    public String require(String hint) {
        if (value == null) {
            throw new SettingException(names() + " is not set: set it to " + hint + ".");
        }
        return value;
    }

    /**
     * Where the value came from, as a user would find it: {@code WIF4J_AWS_REGION}, {@code AWS_REGION},
     * {@code the system property wif4j.aws.region} or {@code the setting aws.region given in code}.
     *
     * @return the source, or empty when unset
     */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /**
     * A failure naming this setting's source and (unless the setting is a secret) its value:
     * {@code "WIF4J_AWS_REGION is 'x', but <why>."}.
     *
     * @param why what is wrong and what is allowed
     * @return the exception, to throw
     */
    public SettingException invalid(String why) {
        String where = source != null ? source : variable();
        String shown = value == null || secret ? "" : " is " + Text.quote(value) + ",";
        String sentence = where + (shown.isEmpty() ? " is set, but " : shown + " but ") + why;
        return new SettingException(sentence.endsWith(".") ? sentence : sentence + ".");
    }

    /**
     * A whole number in a range.
     *
     * @param defaultValue the value when unset
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the number
     * @throws SettingException when set to anything but a whole number in the range
     */
    public long asLong(long defaultValue, long min, long max) {
        return asLong(defaultValue, min, max, "it must be a whole number from " + min + " to " + max);
    }

    /**
     * A whole number in a range, with the provider's own words for what is allowed.
     *
     * @param defaultValue the value when unset
     * @param min the smallest allowed
     * @param max the largest allowed
     * @param why what is allowed and why, as for {@link #invalid(String)}, e.g. "STS issues tokens living 60 to
     *     3600 seconds"
     * @return the number
     * @throws SettingException when set to anything but a whole number in the range
     */
    public long asLong(long defaultValue, long min, long max, String why) {
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
        } catch (NumberFormatException e) {
            throw invalid(why);
        }
        if (parsed < min || parsed > max) {
            throw invalid(why);
        }
        return parsed;
    }

    /**
     * A whole number in a range.
     *
     * @param defaultValue the value when unset
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the number
     * @throws SettingException when set to anything but a whole number in the range
     */
    public int asInt(int defaultValue, int min, int max) {
        return (int) asLong(defaultValue, min, max);
    }

    /**
     * A duration in a range: a whole number of seconds ({@code 300}), a number with a unit
     * ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}), or ISO-8601 ({@code PT5M}).
     *
     * @param defaultValue the value when unset
     * @param min the shortest allowed
     * @param max the longest allowed
     * @return the duration
     * @throws SettingException when malformed or out of range
     */
    public Duration asDuration(Duration defaultValue, Duration min, Duration max) {
        if (value == null) {
            return defaultValue;
        }
        String range = "it must be a duration from " + describe(min) + " to " + describe(max)
                + ", as seconds (300) or with a unit (500ms, 30s, 5m, 1h)";
        Duration parsed = parseDuration(value.toLowerCase(Locale.ROOT));
        if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw invalid(range);
        }
        return parsed;
    }

    /**
     * A boolean: {@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off} or
     * {@code 1}/{@code 0}, in any case.
     *
     * @param defaultValue the value when unset
     * @return the boolean
     * @throws SettingException when set to anything else
     */
    public boolean asBoolean(boolean defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid("it must be true or false");
        };
    }

    /**
     * One of a fixed set of words, compared ignoring case.
     *
     * @param defaultValue the value when unset; need not be one of the choices
     * @param choices the allowed values, as they are returned
     * @return the matching choice, spelled as in {@code choices}
     * @throws SettingException when set to anything else
     */
    public String asChoice(String defaultValue, String... choices) {
        if (value == null) {
            return defaultValue;
        }
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(value)) {
                return choice;
            }
        }
        throw invalid("it must be " + (choices.length == 1 ? choices[0]
                : String.join(", ", List.of(choices).subList(0, choices.length - 1)) + " or "
                        + choices[choices.length - 1]));
    }

    /**
     * An endpoint URL under the {@link Endpoints} rule: https, or http to a loopback host.
     *
     * @return the URL, or empty when unset
     * @throws SettingException when it is not a URL the rule allows; the message shows the URL as
     *     {@link Endpoints#describe(String)} does, its scheme, host and port alone
     */
    public Optional<URI> asEndpoint() {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Endpoints.parse(value));
        } catch (IllegalArgumentException e) {
            // Scheme, host and port only: a password or a key in the query stays out of the message.
            String where = source != null ? source : variable();
            String shown = secret ? " is set," : " is " + Endpoints.describe(value) + ",";
            throw new SettingException(where + shown + " but " + e.getMessage() + ".");
        }
    }

    /**
     * An absolute path of the environment's file system, resolved through
     * {@link DetectionContext#path(String)}. Whether the file exists is the caller's question.
     *
     * @return the path to read, or empty when unset
     * @throws SettingException when the value is not an absolute path
     */
    public Optional<Path> asPath() {
        if (value == null) {
            return Optional.empty();
        }
        if (!value.startsWith("/") && !(value.length() > 2 && value.charAt(1) == ':')) {
            throw invalid("it must be an absolute path");
        }
        if (value.indexOf('\0') >= 0) {
            throw invalid("a path cannot hold a NUL character");
        }
        try {
            return Optional.of(owner.context().path(value));
        } catch (RuntimeException e) {
            throw invalid("it is not a path this system can open");
        }
    }

    @Override
    public String toString() {
        return "Setting[" + key() + (value == null ? " unset" : secret ? " from " + source + " (secret)"
                : " = " + Text.quote(value) + " from " + source) + "]";
    }

    private static Duration parseDuration(String text) {
        try {
            if (text.startsWith("pt") || text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            int i = 0;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (i == 0 || i > 12) {
                return null;
            }
            long amount = Long.parseLong(text.substring(0, i));
            return switch (text.substring(i).strip()) {
                case "", "s" -> Duration.ofSeconds(amount);
                case "ms" -> Duration.ofMillis(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> null;
            };
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + " h" : s % 60 == 0 && s > 0 ? s / 60 + " min" : s + " s";
    }
}
