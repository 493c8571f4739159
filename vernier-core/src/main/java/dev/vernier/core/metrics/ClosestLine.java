package dev.vernier.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds, among a program's output lines, the one that looks most like what a metric regex was
 * meant to match, for a user whose regex matches nothing: the line holding most of the regex's
 * literal words (weighted by length; a digit on the line counts too), the later line on a tie.
 */
public final class ClosestLine {
    private static final int MAX_SHOWN = 200;
    private final List<String> words;
    private String best;
    private int bestScore;

    public ClosestLine(String regex) {
        this.words = words(regex);
    }

    /** The literal words of a regex, lower case: what is left once escapes and character classes are gone. */
    static List<String> words(String regex) {
        String literal = regex.replaceAll("\\\\[dDsSwWbBpP](\\{[^}]*\\})?", " ").replaceAll("\\[[^\\]]*\\]", " ");
        List<String> out = new ArrayList<>();
        for (String w : literal.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+"))
            if (w.length() >= 2 && !out.contains(w)) out.add(w);
        return out;
    }

    public void offer(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        int score = 0;
        for (String w : words) if (lower.contains(w)) score += w.length();
        if (score == 0) return;
        if (lower.chars().anyMatch(Character::isDigit)) score++;
        if (score >= bestScore) {
            bestScore = score;
            best = line.strip();
        }
    }

    /** The closest line seen, at most 200 characters, or empty when no line shares a word with the regex. */
    public Optional<String> best() {
        if (best == null) return Optional.empty();
        return Optional.of(best.length() <= MAX_SHOWN ? best : best.substring(0, MAX_SHOWN) + "…");
    }
}
