package dev.vernier.protocol.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One shape of the service model, compiled once at load: its kind, its constraints and, for
 * aggregates, its parts. Instances are built and linked by {@link ModelLoader} and never change
 * after {@link ApiModel} publishes them; a shape may contain itself.
 *
 * <p>The public part (name, kind, enum values, members, element, key, value) is what a client such
 * as the CLI needs to build options and skeletons; the constraints stay with the model's validation.
 */
public final class Shape {
    public enum Kind { STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, TIMESTAMP, BLOB }

    /** A structure member: its wire name, its name in error paths (lower camel, as AWS spells it). */
    public record Member(String name, String pathName, Shape shape, boolean required) {}

    private final String name;
    private final Kind kind;
    /** Length bounds for strings, lists and maps; value bounds for numbers; null when absent. */
    final Double min;
    final Double max;
    /** The model's pattern, as error messages quote it. */
    final String patternText;
    /** What {@link #pattern()} compiles: the model's pattern, maybe widened (see ModelLoader); null for none. */
    private final String regex;
    /** Compiled on first use: the CLI loads the model for its shapes and seldom validates. */
    private volatile Pattern pattern;
    private final List<String> enumValues;
    /** Every accepted spelling (the model's and the older aliases) to the model's spelling. */
    final Map<String, String> enumSpellings;

    private List<Member> members = List.of();
    private Map<String, Member> membersByName = Map.of();
    private Shape element;
    private Shape key;
    private Shape value;
    /** False when a value of this shape can never carry a member outside the model. */
    boolean mayNeedShaping;

    Shape(String name, Kind kind, Double min, Double max, String patternText, String regex,
          List<String> enumValues, Map<String, String> enumSpellings) {
        this.name = name;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.patternText = patternText;
        this.regex = regex;
        this.enumValues = enumValues;
        this.enumSpellings = enumSpellings;
    }

    /** The model's name for this shape, e.g. {@code HyperParameterTuningJobConfig}. */
    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** A string shape's enum values in the model's order and spelling; empty for other shapes. */
    public List<String> enumValues() {
        return enumValues;
    }

    /** A structure's members in the model's order; empty for other shapes. */
    public List<Member> members() {
        return members;
    }

    /** The structure member with this wire name. */
    public Optional<Member> member(String memberName) {
        return Optional.ofNullable(membersByName.get(memberName));
    }

    /** A list's element shape; null for other shapes. */
    public Shape element() {
        return element;
    }

    /** A map's key shape; null for other shapes. */
    public Shape key() {
        return key;
    }

    /** A map's value shape; null for other shapes. */
    public Shape value() {
        return value;
    }

    /** Neither a structure, a list nor a map. */
    public boolean isScalar() {
        return kind != Kind.STRUCTURE && kind != Kind.LIST && kind != Kind.MAP;
    }

    /** Matched as a full match, as AWS does; null when the shape has no pattern to check. */
    Pattern pattern() {
        Pattern compiled = pattern;
        if (compiled == null && regex != null) pattern = compiled = Pattern.compile(regex);
        return compiled;
    }

    void linkMembers(List<Member> linked) {
        Map<String, Member> byName = new HashMap<>();
        for (Member m : linked) byName.put(m.name(), m);
        this.members = List.copyOf(linked);
        this.membersByName = Map.copyOf(byName);
    }

    void linkElement(Shape linked) {
        this.element = linked;
    }

    void linkEntries(Shape linkedKey, Shape linkedValue) {
        this.key = linkedKey;
        this.value = linkedValue;
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
