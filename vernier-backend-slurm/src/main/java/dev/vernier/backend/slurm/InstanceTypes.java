package dev.vernier.backend.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each SageMaker {@code InstanceType} asks of a Slurm node: CPUs ({@code --cpus-per-task}),
 * memory ({@code --mem}, MiB) and GPUs ({@code --gres=gpu:N}). The defaults are AWS's figures for
 * common types; the {@code slurm-instance-types} setting adds types or overrides them, as
 * {@code ml.m5.large=2:8192:0,ml.p3.2xlarge=8:62464:1} (CPUs:MiB:GPUs); memory 0 asks for none.
 */
public record InstanceTypes(Map<String, Resources> table) {
    /** One node's share for one instance. */
    public record Resources(int cpus, long memoryMib, int gpus) {
        public Resources {
            if (cpus < 1) throw new IllegalArgumentException("CPUs must be at least 1");
            if (memoryMib < 0 || gpus < 0) throw new IllegalArgumentException("memory and GPUs must not be negative");
        }
    }

    private static final Map<String, Resources> DEFAULTS = defaults();

    public InstanceTypes {
        table = Map.copyOf(table);
    }

    /** The defaults with the setting's entries over them. */
    public static InstanceTypes parse(String setting) {
        Map<String, Resources> table = new LinkedHashMap<>(DEFAULTS);
        for (String entry : setting.split(",")) {
            if (entry.isBlank()) continue;
            String[] kv = entry.strip().split("=", 2);
            String[] parts = kv.length == 2 ? kv[1].split(":", -1) : new String[0];
            if (kv.length != 2 || kv[0].isBlank() || parts.length != 3)
                throw new IllegalArgumentException("slurm-instance-types must be type=CPUs:MiB:GPUs entries separated by "
                        + "commas, got '" + entry.strip() + "'");
            try {
                table.put(kv[0].strip(), new Resources(Integer.parseInt(parts[0].strip()),
                        Long.parseLong(parts[1].strip()), Integer.parseInt(parts[2].strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("slurm-instance-types: '" + entry.strip() + "': " + e.getMessage());
            }
        }
        return new InstanceTypes(table);
    }

    public Optional<Resources> of(String instanceType) {
        return Optional.ofNullable(table.get(instanceType));
    }

    /** The known types, sorted, for an error message. */
    public String known() {
        return String.join(", ", new TreeMap<>(table).keySet());
    }

    private static Map<String, Resources> defaults() {
        Map<String, Resources> d = new LinkedHashMap<>();
        // General purpose, compute and memory optimised: vCPUs and GiB as AWS lists them.
        put(d, "ml.t3.medium", 2, 4, 0);
        put(d, "ml.t3.large", 2, 8, 0);
        put(d, "ml.t3.xlarge", 4, 16, 0);
        put(d, "ml.t3.2xlarge", 8, 32, 0);
        put(d, "ml.m4.xlarge", 4, 16, 0);
        put(d, "ml.m4.2xlarge", 8, 32, 0);
        put(d, "ml.m4.4xlarge", 16, 64, 0);
        for (String family : new String[] {"ml.m5", "ml.m6i"}) {
            put(d, family + ".large", 2, 8, 0);
            put(d, family + ".xlarge", 4, 16, 0);
            put(d, family + ".2xlarge", 8, 32, 0);
            put(d, family + ".4xlarge", 16, 64, 0);
            put(d, family + ".12xlarge", 48, 192, 0);
            put(d, family + ".24xlarge", 96, 384, 0);
        }
        for (String family : new String[] {"ml.c5", "ml.c6i"}) {
            put(d, family + ".xlarge", 4, 8, 0);
            put(d, family + ".2xlarge", 8, 16, 0);
            put(d, family + ".4xlarge", 16, 32, 0);
            put(d, family + ".9xlarge", 36, 72, 0);
            put(d, family + ".18xlarge", 72, 144, 0);
        }
        put(d, "ml.c4.xlarge", 4, 7, 0);
        put(d, "ml.c4.2xlarge", 8, 15, 0);
        put(d, "ml.r5.large", 2, 16, 0);
        put(d, "ml.r5.xlarge", 4, 32, 0);
        put(d, "ml.r5.2xlarge", 8, 64, 0);
        // GPU types.
        put(d, "ml.p3.2xlarge", 8, 61, 1);
        put(d, "ml.p3.8xlarge", 32, 244, 4);
        put(d, "ml.p3.16xlarge", 64, 488, 8);
        put(d, "ml.p4d.24xlarge", 96, 1152, 8);
        put(d, "ml.g4dn.xlarge", 4, 16, 1);
        put(d, "ml.g4dn.2xlarge", 8, 32, 1);
        put(d, "ml.g4dn.12xlarge", 48, 192, 4);
        put(d, "ml.g5.xlarge", 4, 16, 1);
        put(d, "ml.g5.2xlarge", 8, 32, 1);
        put(d, "ml.g5.12xlarge", 48, 192, 4);
        put(d, "ml.g5.48xlarge", 192, 768, 8);
        return d;
    }

    private static void put(Map<String, Resources> d, String type, int cpus, int gib, int gpus) {
        d.put(type, new Resources(cpus, gib * 1024L, gpus));
    }
}
