package dev.vernier.cli.aws;

import java.util.ArrayList;
import java.util.List;

/** One titled section of a {@link TableFormat}: awscli's {@code Section} and its rendering. */
final class TableSection {
    final String title;
    final int indent;
    List<String> headers = List.of();
    final List<List<String>> rows = new ArrayList<>();
    private final List<Integer> maxWidths = new ArrayList<>();
    private Integer columns;

    TableSection(String title, int indent) {
        this.title = title;
        this.indent = indent;
    }

    void addHeader(List<String> headers) {
        updateWidths(headers);
        if (columns == null) columns = headers.size();
        this.headers = List.copyOf(headers);
    }

    void addRow(List<String> row) {
        if (columns == null) columns = row.size();
        if (row.size() != columns) return; // awscli raises here; a ragged row is left out instead
        rows.add(List.copyOf(row));
        updateWidths(row);
    }

    private void updateWidths(List<String> row) {
        if (maxWidths.isEmpty()) {
            for (String el : row) maxWidths.add(width(el));
        } else {
            for (int i = 0; i < row.size() && i < maxWidths.size(); i++) maxWidths.set(i, Math.max(maxWidths.get(i), width(row.get(i))));
        }
    }

    /** A single-row section with headers becomes header/value rows (awscli's convert_to_vertical_table). */
    TableSection vertical() {
        if (rows.size() != 1 || headers.isEmpty()) return this;
        TableSection v = new TableSection(title, indent);
        for (int i = 0; i < headers.size(); i++) v.addRow(List.of(headers.get(i), rows.get(0).get(i)));
        return v;
    }

    int totalWidth(int padding, int outerPadding) {
        int total = 0;
        for (int w : maxWidths) total += w + padding;
        total += 2 + 2 * outerPadding;
        String t = title == null ? "None" : title;
        return Math.max(width(t) + 2 + 2 * outerPadding, total);
    }

    List<Integer> columnWidths(int padding, int maxWidth) {
        List<Integer> unscaled = new ArrayList<>();
        for (int w : maxWidths) unscaled.add(w + padding);
        if (unscaled.isEmpty()) return unscaled;
        int sum = unscaled.stream().mapToInt(Integer::intValue).sum();
        double scale = maxWidth / (double) sum;
        List<Integer> scaled = new ArrayList<>();
        for (int w : unscaled) scaled.add((int) Math.rint(scale * w));
        int offBy = scaled.stream().mapToInt(Integer::intValue).sum() - maxWidth;
        while (offBy != 0) {
            int n = scaled.size();
            for (int k = 0; k < n; k++) {
                int i = offBy < 0 ? n - 1 - k : k;
                if (offBy > 0) {
                    scaled.set(i, scaled.get(i) - 1);
                    offBy--;
                } else {
                    scaled.set(i, scaled.get(i) + 1);
                    offBy++;
                }
                if (offBy == 0) break;
            }
        }
        return scaled;
    }

    void render(int maxWidth, StringBuilder out) {
        String bars = "|".repeat(indent);
        int width = maxWidth - indent * 2;
        if (title != null && !title.isEmpty()) {
            line(out, bars, center(title, width, "|", "|"));
            if (headers.isEmpty() && rows.isEmpty()) line(out, bars, "+" + "-".repeat(width - 2) + "+");
        }
        if (!headers.isEmpty()) {
            List<Integer> widths = columnWidths(4, width);
            StringBuilder cells = new StringBuilder();
            for (int i = 0; i < widths.size() && i < headers.size(); i++) {
                cells.append(center(headers.get(i), widths.get(i), i == 0 ? "|" : "", "|"));
            }
            line(out, bars, lineBreak(widths));
            line(out, bars, cells.toString());
        }
        if (!rows.isEmpty()) {
            List<Integer> widths = columnWidths(4, width);
            if (widths.isEmpty()) return;
            line(out, bars, lineBreak(widths));
            for (List<String> row : rows) {
                StringBuilder cells = new StringBuilder();
                for (int i = 0; i < widths.size() && i < row.size(); i++) {
                    cells.append(alignLeft(row.get(i), widths.get(i), i == 0 ? "|" : "", "|"));
                }
                line(out, bars, cells.toString());
            }
            line(out, bars, lineBreak(widths));
        }
    }

    private static void line(StringBuilder out, String bars, String text) {
        out.append(bars).append(text).append(bars).append('\n');
    }

    private static String lineBreak(List<Integer> widths) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < widths.size(); i++) {
            s.append(i == 0 ? "+" + "-".repeat(Math.max(0, widths.get(i) - 2)) + "+" : "-".repeat(Math.max(0, widths.get(i) - 1)) + "+");
        }
        return s.toString();
    }

    static String center(String text, int length, String left, String right) {
        int textLength = width(text);
        int start = Math.floorDiv(length, 2) - Math.floorDiv(textLength, 2) - 1;
        String head = left + " ".repeat(Math.max(0, start)) + text;
        int soFar = left.length() + start + textLength;
        return head + " ".repeat(Math.max(0, length - right.length() - soFar)) + right;
    }

    static String alignLeft(String text, int length, String left, String right) {
        int textLength = width(text);
        int padding = length - (textLength + 2 + left.length() + right.length()) >= 0 ? 2 : 0;
        int soFar = left.length() + padding + textLength;
        return left + " ".repeat(padding) + text + " ".repeat(Math.max(0, length - soFar - right.length())) + right;
    }

    /** Display width: East Asian wide characters count twice, as awscli's get_text_length. */
    static int width(String text) {
        int w = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            w += Character.isIdeographic(cp) || (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0xAC00 && cp <= 0xD7A3) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return w;
    }
}
