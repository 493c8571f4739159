package dev.vernier.core.metrics;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * A SageMaker {@code MetricDefinition}: a metric name and a regex applied to every log line; the
 * first capture group of a match is the metric's value.
 */
public record MetricDefinition(String name, String regex) {
    public MetricDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(regex, "regex");
    }

    /** The compiled regex; throws {@link IllegalArgumentException} with {@link #validate}'s message when unusable. */
    public Pattern compile() {
        return compile(name, regex);
    }

    /**
     * Why this regex cannot be used as a metric definition (not RE2 syntax, or no capture group),
     * or empty when it can. The API reports the message as a ValidationException.
     */
    public static Optional<String> validate(String name, String regex) {
        try {
            compile(name, regex);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Pattern compile(String name, String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("MetricDefinition '" + name + "' has an invalid regex '" + regex
                    + "': " + e.getDescription() + " (regexes use RE2 syntax: no backreferences or lookaround)", e);
        }
        if (pattern.groupCount() < 1)
            throw new IllegalArgumentException("MetricDefinition '" + name + "' regex '" + regex
                    + "' has no capture group: the first capture group must match the metric's value");
        return pattern;
    }
}
