package dev.vernier.backend.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a SageMaker InstanceType asks of a Kubernetes node: CPUs, memory and {@code nvidia.com/gpu},
 * used as both requests and limits (Guaranteed QoS, as an instance is the program's alone). The
 * setting {@code kubernetes-instance-types} adds to or replaces entries of {@link #DEFAULTS}:
 * {@code type=cpus/memory[/gpus]} separated by commas, e.g. {@code ml.m5.large=2/8Gi,ml.g5.xlarge=4/16Gi/1}.
 */
public final class InstanceTypes {
    /** A node's share for one instance. {@code memory} is a Kubernetes quantity (8Gi). */
    public record Shape(int cpus, String memory, int gpus) {}

    /** Common SageMaker training instance types, with their vCPUs, memory and GPUs. */
    public static final String DEFAULTS = String.join(",",
            "ml.t3.medium=2/4Gi", "ml.m5.large=2/8Gi", "ml.m5.xlarge=4/16Gi", "ml.m5.2xlarge=8/32Gi",
            "ml.m5.4xlarge=16/64Gi", "ml.m5.12xlarge=48/192Gi", "ml.c5.xlarge=4/8Gi", "ml.c5.2xlarge=8/16Gi",
            "ml.c5.4xlarge=16/32Gi", "ml.c5.9xlarge=36/72Gi", "ml.r5.large=2/16Gi", "ml.r5.xlarge=4/32Gi",
            "ml.p3.2xlarge=8/61Gi/1", "ml.p3.8xlarge=32/244Gi/4", "ml.p3.16xlarge=64/488Gi/8",
            "ml.g4dn.xlarge=4/16Gi/1", "ml.g4dn.2xlarge=8/32Gi/1", "ml.g4dn.12xlarge=48/192Gi/4",
            "ml.g5.xlarge=4/16Gi/1", "ml.g5.2xlarge=8/32Gi/1", "ml.g5.12xlarge=48/192Gi/4");

    private static final Pattern TYPE = Pattern.compile("ml\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern MEMORY = Pattern.compile("[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?");

    private final Map<String, Shape> shapes;

    private InstanceTypes(Map<String, Shape> shapes) {
        this.shapes = Map.copyOf(shapes);
    }

    /**
     * The defaults with {@code setting}'s entries over them.
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    public static InstanceTypes of(String setting) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        parseInto(DEFAULTS, shapes);
        if (setting != null) parseInto(setting, shapes);
        return new InstanceTypes(shapes);
    }

    private static void parseInto(String table, Map<String, Shape> shapes) {
        for (String entry : table.split(",")) {
            if (entry.isBlank()) continue;
            String[] kv = entry.strip().split("=", 2);
            String[] parts = kv.length == 2 ? kv[1].split("/") : new String[0];
            if (kv.length != 2 || !TYPE.matcher(kv[0]).matches() || parts.length < 2 || parts.length > 3
                    || !parts[0].matches("[1-9][0-9]{0,3}") || !MEMORY.matcher(parts[1]).matches()
                    || (parts.length == 3 && !parts[2].matches("[0-9]{1,2}")))
                throw new IllegalArgumentException("kubernetes-instance-types: '" + entry.strip()
                        + "' is not type=cpus/memory[/gpus], e.g. ml.m5.large=2/8Gi or ml.g5.xlarge=4/16Gi/1");
            shapes.put(kv[0], new Shape(Integer.parseInt(parts[0]), parts[1],
                    parts.length == 3 ? Integer.parseInt(parts[2]) : 0));
        }
    }

    /** The shape of {@code instanceType}, or null when the table has none. */
    public Shape shape(String instanceType) {
        return shapes.get(instanceType);
    }
}
