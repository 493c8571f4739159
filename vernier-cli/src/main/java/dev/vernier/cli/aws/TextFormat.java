package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code --output text}: a port of the AWS CLI's {@code awscli/text.py}, tab-separated rows. */
public final class TextFormat {
    private TextFormat() {}

    public static String format(JsonNode data) {
        StringBuilder out = new StringBuilder();
        item(data, out, null, null);
        return out.toString();
    }

    private static void item(JsonNode node, StringBuilder out, String identifier, List<String> scalarKeys) {
        if (node.isObject()) dict(scalarKeys, node, identifier, out);
        else if (node.isArray()) list(node, identifier, out);
        else out.append(PyJson.str(node)).append('\n');
    }

    private static void list(JsonNode node, String identifier, StringBuilder out) {
        if (node.isEmpty()) return;
        boolean anyDict = false;
        boolean anyList = false;
        for (JsonNode el : node) {
            anyDict |= el.isObject();
            anyList |= el.isArray();
        }
        if (anyDict) {
            List<String> keys = allScalarKeys(node);
            for (JsonNode el : node) item(el, out, identifier, keys);
        } else if (anyList) {
            List<JsonNode> scalars = new ArrayList<>();
            List<JsonNode> others = new ArrayList<>();
            for (JsonNode el : node) (el.isContainerNode() ? others : scalars).add(el);
            if (!scalars.isEmpty()) scalarList(scalars, identifier, out);
            for (JsonNode other : others) item(other, out, identifier, null);
        } else {
            List<JsonNode> scalars = new ArrayList<>();
            node.forEach(scalars::add);
            scalarList(scalars, identifier, out);
        }
    }

    private static void scalarList(List<JsonNode> elements, String identifier, StringBuilder out) {
        if (identifier != null) {
            for (JsonNode el : elements) out.append(identifier.toUpperCase(Locale.ROOT)).append('\t').append(PyJson.str(el)).append('\n');
        } else {
            List<String> parts = new ArrayList<>();
            for (JsonNode el : elements) parts.add(PyJson.str(el));
            out.append(String.join("\t", parts)).append('\n');
        }
    }

    private static void dict(List<String> scalarKeys, JsonNode node, String identifier, StringBuilder out) {
        List<String> scalars = new ArrayList<>();
        Map<String, JsonNode> nonScalars = new TreeMap<>();
        if (scalarKeys == null) {
            for (Map.Entry<String, JsonNode> e : new TreeMap<>(asMap(node)).entrySet()) {
                if (e.getValue().isContainerNode()) nonScalars.put(e.getKey(), e.getValue());
                else scalars.add(PyJson.str(e.getValue()));
            }
        } else {
            for (String key : scalarKeys) scalars.add(node.has(key) ? PyJson.str(node.get(key)) : "");
            for (Map.Entry<String, JsonNode> e : asMap(node).entrySet()) {
                if (!scalarKeys.contains(e.getKey())) nonScalars.put(e.getKey(), e.getValue());
            }
        }
        if (!scalars.isEmpty()) {
            if (identifier != null) scalars.add(0, identifier.toUpperCase(Locale.ROOT));
            out.append(String.join("\t", scalars)).append('\n');
        }
        nonScalars.forEach((key, value) -> item(value, out, key, null));
    }

    private static List<String> allScalarKeys(JsonNode list) {
        TreeSet<String> keys = new TreeSet<>();
        for (JsonNode el : list) {
            if (!el.isObject()) continue;
            el.properties().forEach(e -> {
                if (!e.getValue().isContainerNode()) keys.add(e.getKey());
            });
        }
        return new ArrayList<>(keys);
    }

    private static Map<String, JsonNode> asMap(JsonNode node) {
        Map<String, JsonNode> map = new java.util.LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }
}
