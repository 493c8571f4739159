package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code --output table}: a port of the AWS CLI's {@code TableFormatter} and {@code MultiTable}
 * (awscli/formatter.py, awscli/table.py) without colours. Sections are titled by member names,
 * nested one '|' deeper per level; a table wider than the terminal is turned vertical.
 */
public final class TableFormat {
    private final List<TableSection> sections = new ArrayList<>();
    private TableSection current;
    private final int terminalWidth;

    private TableFormat(int terminalWidth) {
        this.terminalWidth = terminalWidth;
    }

    /** The table for {@code data}, titled {@code title} (the operation's name); "" when the data is empty. */
    public static String format(String title, JsonNode data, int terminalWidth) {
        TableFormat table = new TableFormat(terminalWidth);
        if (!table.build(title, data, 0)) return "";
        return table.render();
    }

    private boolean build(String title, JsonNode node, int indent) {
        if (!truthy(node)) return false;
        if (title != null) newSection(title, indent);
        if (node.isArray()) {
            if (node.get(0).isObject()) {
                subTableFromList(node, indent, title);
            } else {
                for (JsonNode item : node) {
                    if (!item.isContainerNode()) {
                        current.addRow(List.of(PyJson.str(item)));
                    } else if (allScalars(item)) {
                        List<String> row = new ArrayList<>();
                        item.forEach(el -> row.add(PyJson.str(el)));
                        current.addRow(row);
                    } else {
                        build(null, item, 0);
                    }
                }
            }
        }
        if (node.isObject()) subTableFromDict(node, indent);
        return true;
    }

    private void subTableFromDict(JsonNode node, int indent) {
        List<String> headers = new ArrayList<>();
        List<String> more = new ArrayList<>();
        group(node, headers, more);
        if (headers.size() == 1) {
            current.addRow(List.of(headers.get(0), PyJson.str(node.get(headers.get(0)))));
        } else if (!headers.isEmpty()) {
            current.addHeader(headers);
            List<String> row = new ArrayList<>();
            for (String h : headers) row.add(PyJson.str(node.get(h)));
            current.addRow(row);
        }
        for (String key : more) build(key, node.get(key), indent + 1);
    }

    private void subTableFromList(JsonNode list, int indent, String title) {
        TreeSet<String> headerSet = new TreeSet<>();
        TreeSet<String> moreSet = new TreeSet<>();
        for (JsonNode item : list) {
            List<String> h = new ArrayList<>();
            List<String> m = new ArrayList<>();
            group(item, h, m);
            headerSet.addAll(h);
            moreSet.addAll(m);
        }
        List<String> headers = new ArrayList<>(headerSet);
        current.addHeader(headers);
        boolean first = true;
        for (JsonNode element : list) {
            if (!first && !moreSet.isEmpty()) {
                newSection(title, indent);
                current.addHeader(headers);
            }
            first = false;
            List<String> row = new ArrayList<>();
            for (String h : headers) row.add(element.has(h) ? PyJson.str(element.get(h)) : "");
            current.addRow(row);
            for (String key : moreSet) {
                if (element.has(key)) build(key, element.get(key), indent + 1);
            }
        }
    }

    private static void group(JsonNode dict, List<String> headers, List<String> more) {
        if (!dict.isObject()) return;
        TreeSet<String> h = new TreeSet<>();
        TreeSet<String> m = new TreeSet<>();
        dict.properties().forEach(e -> (e.getValue().isContainerNode() ? m : h).add(e.getKey()));
        headers.addAll(h);
        more.addAll(m);
    }

    private static boolean allScalars(JsonNode item) {
        for (JsonNode el : item) if (el.isContainerNode()) return false;
        return true;
    }

    /** Python's truthiness, which decides whether the AWS CLI prints a table at all. */
    static boolean truthy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return false;
        if (node.isContainerNode()) return !node.isEmpty();
        if (node.isTextual()) return !node.textValue().isEmpty();
        if (node.isBoolean()) return node.booleanValue();
        return node.doubleValue() != 0;
    }

    private void newSection(String title, int indent) {
        current = new TableSection(title, indent);
        sections.add(current);
    }

    private String render() {
        int maxWidth = maxWidth();
        if (maxWidth > terminalWidth) {
            sections.replaceAll(TableSection::vertical);
            maxWidth = maxWidth();
        }
        StringBuilder out = new StringBuilder("-".repeat(maxWidth)).append('\n');
        for (TableSection s : sections) s.render(maxWidth, out);
        return out.toString();
    }

    private int maxWidth() {
        int max = 0;
        for (TableSection s : sections) max = Math.max(max, s.totalWidth(4, s.indent));
        return max;
    }
}
