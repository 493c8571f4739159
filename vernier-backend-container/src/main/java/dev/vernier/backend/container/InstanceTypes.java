package dev.vernier.backend.container;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code container-instance-types} setting: what a SageMaker InstanceType gives a job's
 * container, {@code type=cpus/memoryGiB[/gpus]} separated by commas. A type that is not listed runs
 * without limits.
 */
final class InstanceTypes {
    /** SageMaker's published sizes of common training instance types. */
    static final String DEFAULTS = String.join(",",
            "ml.t3.medium=2/4", "ml.t3.large=2/8", "ml.t3.xlarge=4/16", "ml.t3.2xlarge=8/32",
            "ml.m4.xlarge=4/16", "ml.m4.2xlarge=8/32", "ml.m4.4xlarge=16/64", "ml.m4.10xlarge=40/160",
            "ml.m5.large=2/8", "ml.m5.xlarge=4/16", "ml.m5.2xlarge=8/32", "ml.m5.4xlarge=16/64",
            "ml.m5.12xlarge=48/192", "ml.m5.24xlarge=96/384",
            "ml.c4.xlarge=4/7.5", "ml.c4.2xlarge=8/15", "ml.c4.4xlarge=16/30", "ml.c4.8xlarge=36/60",
            "ml.c5.xlarge=4/8", "ml.c5.2xlarge=8/16", "ml.c5.4xlarge=16/32", "ml.c5.9xlarge=36/72",
            "ml.c5.18xlarge=72/144",
            "ml.p2.xlarge=4/61/1", "ml.p2.8xlarge=32/488/8", "ml.p3.2xlarge=8/61/1", "ml.p3.8xlarge=32/244/4",
            "ml.p3.16xlarge=64/488/8", "ml.g4dn.xlarge=4/16/1", "ml.g4dn.2xlarge=8/32/1", "ml.g4dn.12xlarge=48/192/4",
            "ml.g5.xlarge=4/16/1", "ml.g5.2xlarge=8/32/1", "ml.g5.12xlarge=48/192/4");

    /** What one instance type has. */
    record Size(double cpus, double memoryGib, int gpus) {}

    private final Map<String, Size> sizes;

    private InstanceTypes(Map<String, Size> sizes) {
        this.sizes = sizes;
    }

    /** @throws IllegalArgumentException saying what is wrong with the setting */
    static InstanceTypes parse(String setting) {
        Map<String, Size> sizes = new LinkedHashMap<>();
        for (String pair : setting == null ? new String[0] : setting.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            String[] parts = eq <= 0 ? new String[0] : pair.substring(eq + 1).strip().split("/");
            try {
                if (parts.length < 2 || parts.length > 3) throw new NumberFormatException();
                Size size = new Size(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                        parts.length == 3 ? Integer.parseInt(parts[2]) : 0);
                if (!(size.cpus > 0) || !(size.memoryGib > 0) || size.gpus < 0) throw new NumberFormatException();
                sizes.put(pair.substring(0, eq).strip(), size);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("container-instance-types must be type=cpus/memoryGiB[/gpus] pairs "
                        + "separated by commas, with positive numbers, got '" + pair.strip() + "'");
            }
        }
        return new InstanceTypes(Map.copyOf(sizes));
    }

    Optional<Size> size(String instanceType) {
        return Optional.ofNullable(instanceType == null ? null : sizes.get(instanceType));
    }
}
