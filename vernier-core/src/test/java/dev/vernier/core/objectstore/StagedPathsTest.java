package dev.vernier.core.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StagedPathsTest {
    @Test
    void anObjectLandsAtItsKeyBelowThePrefixOrAtItsNameWhenThePrefixIsTheWholeKey() {
        assertThat(StagedPaths.relativeToPrefix("deep/a.csv", "")).isEqualTo("deep/a.csv");
        assertThat(StagedPaths.relativeToPrefix("a.csv", "a.csv")).isEqualTo("a.csv");
        assertThat(StagedPaths.relativeToPrefix("train/x/a.csv", "train")).isEqualTo("x/a.csv");
        assertThat(StagedPaths.relativeToPrefix("training.csv", "train")).as("a name is kept whole").isEqualTo("training.csv");
    }

    @Test
    void aPathOutsideTheChannelDirectoryIsRefused() throws IOException {
        Path dir = Path.of("/tmp/channel");
        assertThat(StagedPaths.inside(dir, "a/b.csv", "object key")).isEqualTo(Path.of("/tmp/channel/a/b.csv"));
        // "train//etc/passwd" below the prefix "train/" (S3Proxy folds "//", so the S3 store cannot be shown one)
        for (String outside : new String[] {StagedPaths.relativeToPrefix("/etc/passwd", ""), "../x", "a/../../x", "", ".", "a\0b"})
            assertThatThrownBy(() -> StagedPaths.inside(dir, outside, "object key")).as(outside)
                    .isInstanceOf(IOException.class).hasMessageContaining("outside the channel directory: refused");
    }
}
