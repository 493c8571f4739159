package dev.vernier.training.jobdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelStagingTest {
    @TempDir Path tmp;

    @Test
    void what_staging_cannot_do_yet_is_named_channel_by_channel() {
        var store = new DirectoryObjectStore(tmp);
        var spec = Specs.spec(Map.of(), Map.of(),
                new InputChannel("a", "s3://data/a", "Converse", null, null, null, null, null),
                new InputChannel("b", "s3://data/b", null, null, null, "Zip", null, "Pipe"),
                new InputChannel("c", "http://example.com/c", null, null, null, null, "RecordIO", null),
                InputChannel.of(".hidden", "s3://data/d"));

        assertThat(ChannelStaging.problems(spec, store)).containsExactly(
                "channel 'a': S3DataType Converse is not supported yet: use S3Prefix",
                "channel 'b': CompressionType Zip is not supported yet: use None or Gzip",
                "channel 'c': RecordWrapperType RecordIO is used only in Pipe input mode: in File mode leave it unset or None",
                "channel 'c': S3Uri 'http://example.com/c' is not a location this server can read "
                        + "(s3://bucket/prefix in its object store, or file:///absolute/path)",
                "channel '.hidden': ChannelName must be letters, digits, '.', '_' and '-'");
        var pipe = new TrainingJobSpec("j", "arn", null, "file:///bin/true", "Pipe", Map.of(), Map.of(), List.of(),
                List.of(new InputChannel("p", "s3://data/p", "ManifestFile", "ShardedByS3Key", null, "Gzip", "RecordIO", null)),
                "s3://models/out", new TrainingJobSpec.Resources("ml.m5.large", 1, 10), 60, false);
        assertThat(ChannelStaging.problems(pipe, store)).isEmpty();
        assertThat(ChannelStaging.problems(Specs.spec(Map.of(), Map.of(), InputChannel.of("train", "s3://data/t/")), store))
                .isEmpty();
    }
}
