package dev.vernier.protocol.model;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One shape of the service model, compiled once at load: its kind, its constraints and, for
 * aggregates, its parts. Instances are built and linked by {@link ModelLoader} and never change
 * after {@link ApiModel} publishes them.
 */
final class Shape {
    enum Kind { STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, TIMESTAMP, BLOB }

    /** A structure member: its wire name, its name in error paths (lower camel, as AWS spells it). */
    record Member(String name, String pathName, Shape shape, boolean required) {}

    final String name;
    final Kind kind;
    /** Length bounds for strings, lists and maps; value bounds for numbers; null when absent. */
    final Double min;
    final Double max;
    /** Matched as a full match, as AWS does; may be wider than {@link #patternText} (see ModelLoader). */
    final Pattern pattern;
    /** The model's pattern, as error messages quote it. */
    final String patternText;
    final List<String> enumValues;
    /** Every accepted spelling (the model's and the older aliases) to the model's spelling. */
    final Map<String, String> enumSpellings;

    List<Member> members = List.of();
    Shape element;
    Shape key;
    Shape value;
    /** False when a value of this shape can never carry a member outside the model. */
    boolean mayNeedShaping;

    Shape(String name, Kind kind, Double min, Double max, String patternText, Pattern pattern,
          List<String> enumValues, Map<String, String> enumSpellings) {
        this.name = name;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.patternText = patternText;
        this.pattern = pattern;
        this.enumValues = enumValues;
        this.enumSpellings = enumSpellings;
    }

    void linkMembers(List<Member> members) {
        this.members = List.copyOf(members);
    }

    static String lowerCamel(String memberName) {
        return memberName.isEmpty() ? memberName
                : Character.toLowerCase(memberName.charAt(0)) + memberName.substring(1);
    }

    @Override
    public String toString() {
        return name + "(" + kind + ")";
    }
}
