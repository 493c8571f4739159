package dev.vernier.core.metrics;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies every metric definition to one log line. Each definition contributes at most one point
 * per line: its first match, valued by the first capture group. A capture that is not a finite
 * decimal number (NaN, Infinity, "abc", a group that did not take part) yields no point.
 */
public final class MetricParser {
    // Decimal numbers as training programs print them; rejects Java-only forms such as "1d" or hex.
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final List<String> names = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();

    /** @throws IllegalArgumentException when a definition is unusable (see {@link MetricDefinition#validate}) */
    public MetricParser(List<MetricDefinition> definitions) {
        for (MetricDefinition d : definitions) {
            names.add(d.name());
            patterns.add(d.compile());
        }
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The points this line carries, in definition order, each stamped with {@code readAt}. */
    public List<MetricPoint> parse(CharSequence line, Instant readAt) {
        List<MetricPoint> points = List.of();
        for (int i = 0; i < patterns.size(); i++) {
            Matcher m = patterns.get(i).matcher(line);
            if (!m.find()) continue;
            Double value = parseValue(m.group(1));
            if (value == null) continue;
            if (points.isEmpty()) points = new ArrayList<>(2);
            points.add(new MetricPoint(names.get(i), value, readAt));
        }
        return points;
    }

    /**
     * A reusable parse for one reader of one log (not thread-safe): its matchers are reset for each
     * line instead of made anew, so that parsing a long log allocates next to nothing per line.
     */
    public Scanner scanner() {
        return new Scanner();
    }

    /** See {@link #scanner()}. */
    public final class Scanner {
        private final Matcher[] matchers = new Matcher[patterns.size()];

        private Scanner() {
            for (int i = 0; i < matchers.length; i++) matchers[i] = patterns.get(i).matcher("");
        }

        /** Adds the points {@code line} carries to {@code out}, in definition order, as {@link #parse} gives them. */
        public void parse(CharSequence line, Instant readAt, List<MetricPoint> out) {
            for (int i = 0; i < matchers.length; i++) {
                Matcher m = matchers[i].reset(line);
                if (!m.find()) continue;
                Double value = parseValue(m.group(1));
                if (value != null) out.add(new MetricPoint(names.get(i), value, readAt));
            }
        }
    }

    /**
     * The value of a captured text, or null when it is not one. Metric values travel as the API's Float: one
     * beyond float range ({@code 1e39}) would be reported as an infinity, so it is ignored as infinities are.
     */
    static Double parseValue(String captured) {
        if (captured == null) return null;
        String text = captured.strip();
        if (text.length() > 64 || !NUMBER.matcher(text).matches()) return null;
        double v = Double.parseDouble(text);
        return Math.abs(v) <= Float.MAX_VALUE ? v : null;   // also NaN; 1e999 overflows to Infinity
    }
}
