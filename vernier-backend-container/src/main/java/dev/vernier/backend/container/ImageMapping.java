package dev.vernier.backend.container;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code container-images} setting: TrainingImage names (ECR or framework images) turned
 * into local images, {@code pattern=image} pairs separated by commas, tried in order; {@code *}
 * in a pattern matches any text ({@code *}{@code /pytorch-training:*=localhost/my-pytorch:1}).
 * A name that no pattern matches is used as it is.
 */
final class ImageMapping {
    private record Rule(String pattern, Pattern regex, String image) {}

    private final List<Rule> rules;

    private ImageMapping(List<Rule> rules) {
        this.rules = rules;
    }

    /** @throws IllegalArgumentException saying what is wrong with the setting */
    static ImageMapping parse(String setting) {
        List<Rule> rules = new ArrayList<>();
        for (String pair : setting == null ? new String[0] : setting.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1 || pair.substring(eq + 1).isBlank())
                throw new IllegalArgumentException("container-images must be pattern=image pairs separated by commas, got '"
                        + pair.strip() + "'");
            String pattern = pair.substring(0, eq).strip();
            StringBuilder regex = new StringBuilder();
            for (String part : pattern.split("\\*", -1)) {
                if (!regex.isEmpty()) regex.append(".*");
                regex.append(Pattern.quote(part));
            }
            rules.add(new Rule(pattern, Pattern.compile(regex.toString()), pair.substring(eq + 1).strip()));
        }
        return new ImageMapping(List.copyOf(rules));
    }

    /** The local image for {@code trainingImage}: the first rule's that matches, else the name itself. */
    String resolve(String trainingImage) {
        for (Rule r : rules) if (r.regex.matcher(trainingImage).matches()) return r.image;
        return trainingImage;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(", ", rules.stream().map(r -> r.pattern + " -> " + r.image).toList());
    }
}
