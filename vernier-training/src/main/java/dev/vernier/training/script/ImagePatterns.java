package dev.vernier.training.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A setting that maps TrainingImage names to values, {@code pattern=value} pairs separated by
 * commas, tried in order, {@code *} in a pattern matching any text
 * ({@code *pytorch*=python3,*sklearn*=/opt/venv/bin/python}).
 */
public final class ImagePatterns {
    private record Rule(String pattern, Pattern regex, String value) {}

    private final List<Rule> rules;

    private ImagePatterns(List<Rule> rules) {
        this.rules = rules;
    }

    /** @throws IllegalArgumentException naming {@code setting} and what is wrong with {@code value} */
    public static ImagePatterns parse(String setting, String value) {
        List<Rule> rules = new ArrayList<>();
        for (String pair : value == null ? new String[0] : value.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0 || pair.substring(eq + 1).isBlank())
                throw new IllegalArgumentException(setting + " must be pattern=value pairs separated by commas, got '"
                        + pair.strip() + "'");
            String pattern = pair.substring(0, eq).strip();
            StringBuilder regex = new StringBuilder();
            for (String part : pattern.split("\\*", -1)) {
                if (!regex.isEmpty()) regex.append(".*");
                regex.append(Pattern.quote(part));
            }
            rules.add(new Rule(pattern, Pattern.compile(regex.toString()), pair.substring(eq + 1).strip()));
        }
        return new ImagePatterns(List.copyOf(rules));
    }

    /** The value of the first pattern that matches {@code image}. */
    public Optional<String> match(String image) {
        for (Rule r : rules) if (r.regex.matcher(image).matches()) return Optional.of(r.value);
        return Optional.empty();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(", ", rules.stream().map(r -> r.pattern + "=" + r.value).toList());
    }
}
