package dev.vernier.training.jobdir;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Input channels copied from the object store into {@code input/data/<channel>/} before the
 * program starts: File mode, with S3Prefix semantics (FastFile is staged the same way, so the
 * program sees the same files). Pipe mode, manifests, Gzip and RecordIO are not staged yet.
 */
public final class ChannelStaging {
    private ChannelStaging() {}

    /** What staging cannot do for this job, one message per problem; empty when it can. */
    public static List<String> problems(TrainingJobSpec spec, ObjectStore objectStore) {
        List<String> problems = new ArrayList<>();
        if (spec.trainingInputMode().equals("Pipe")) problems.add("TrainingInputMode Pipe is not supported yet: use File");
        for (InputChannel c : spec.inputChannels()) {
            String at = "channel '" + c.name() + "': ";
            if ("Pipe".equals(c.inputMode())) problems.add(at + "InputMode Pipe is not supported yet: use File");
            if (!c.s3DataType().equals("S3Prefix"))
                problems.add(at + "S3DataType " + c.s3DataType() + " is not supported yet: use S3Prefix");
            if (!c.compressionType().equals("None"))
                problems.add(at + "CompressionType " + c.compressionType() + " is not supported yet: use None");
            if (!c.recordWrapperType().equals("None"))
                problems.add(at + "RecordWrapperType " + c.recordWrapperType() + " is not supported yet: use None");
            if (!handles(objectStore, c.s3Uri()))
                problems.add(at + "S3Uri '" + c.s3Uri() + "' is not a location this server can read "
                        + "(s3://bucket/prefix in its object store, or file:///absolute/path)");
            if (!c.name().matches("[A-Za-z0-9._-]+") || c.name().startsWith("."))
                problems.add(at + "ChannelName must be letters, digits, '.', '_' and '-'");
        }
        return problems;
    }

    /** Copies every channel into its directory, which {@link JobDirectory#create} made. */
    public static void stage(TrainingJobSpec spec, JobDirectory dir, ObjectStore objectStore) throws IOException {
        for (InputChannel c : spec.inputChannels()) objectStore.copyPrefixTo(URI.create(c.s3Uri()), dir.channel(c.name()));
    }

    static boolean handles(ObjectStore objectStore, String uri) {
        try {
            return objectStore.handles(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
