package dev.vernier.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackTest {
    @TempDir
    Path dir;

    /** A .tar.gz of entries: "name=text" files, "name/" directories, "name->target" symlinks, "name=>target" hard links. */
    private static byte[] tarGz(String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String e : entries) {
                TarArchiveEntry entry;
                byte[] content = new byte[0];
                if (e.contains("=>")) {
                    entry = new TarArchiveEntry(e.substring(0, e.indexOf("=>")), TarConstants.LF_LINK);
                    entry.setLinkName(e.substring(e.indexOf("=>") + 2));
                } else if (e.contains("->")) {
                    entry = new TarArchiveEntry(e.substring(0, e.indexOf("->")), TarConstants.LF_SYMLINK);
                    entry.setLinkName(e.substring(e.indexOf("->") + 2));
                } else if (e.endsWith("/")) {
                    entry = new TarArchiveEntry(e);
                } else {
                    entry = new TarArchiveEntry(e.substring(0, e.indexOf('=')), true);
                    content = e.substring(e.indexOf('=') + 1).getBytes(StandardCharsets.UTF_8);
                    entry.setSize(content.length);
                    entry.setMode(e.endsWith(".sh=" + new String(content, StandardCharsets.UTF_8)) ? 0755 : 0644);
                }
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private void unpack(byte[] archive) throws IOException {
        Unpack.tar(new ByteArrayInputStream(archive), dir.resolve("code"));
    }

    @Test
    void a_source_directory_unpacks_with_its_directories_links_inside_and_execute_bits() throws IOException {
        unpack(tarGz("./", "train.py=print(1)", "run.sh=echo", "lib/", "lib/util.py=x=1", "latest->lib/util.py", "copy=>lib/util.py"));

        Path code = dir.resolve("code");
        assertThat(code.resolve("train.py")).hasContent("print(1)");
        assertThat(code.resolve("lib/util.py")).hasContent("x=1");
        assertThat(Files.isExecutable(code.resolve("run.sh"))).isTrue();
        assertThat(Files.isExecutable(code.resolve("train.py"))).isFalse();
        assertThat(Files.readSymbolicLink(code.resolve("latest"))).isEqualTo(Path.of("lib/util.py"));
        assertThat(code.resolve("copy")).hasContent("x=1");
    }

    @Test
    void entries_that_climb_out_with_dot_dot_are_refused() {
        assertThatThrownBy(() -> unpack(tarGz("ok.py=1", "../evil.sh=rm -rf ~")))
                .isInstanceOf(Unpack.UnsafeArchiveException.class)
                .hasMessage("archive entry '../evil.sh' climbs out of the directory it is unpacked into (..)");
        assertThatThrownBy(() -> unpack(tarGz("lib/../../evil=1"))).isInstanceOf(Unpack.UnsafeArchiveException.class);
        assertThat(dir.resolve("evil.sh")).doesNotExist();
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    @Test
    void absolute_entries_are_refused() {
        assertThatThrownBy(() -> unpack(tarGz("/tmp/vernier-evil=1")))
                .isInstanceOf(Unpack.UnsafeArchiveException.class).hasMessageContaining("has an absolute path");
    }

    @Test
    void symbolic_links_out_and_writes_through_them_are_refused() throws IOException {
        assertThatThrownBy(() -> unpack(tarGz("etc->/etc")))
                .isInstanceOf(Unpack.UnsafeArchiveException.class)
                .hasMessageContaining("symbolic link to the absolute path '/etc'");
        assertThatThrownBy(() -> unpack(tarGz("up->../..")))
                .isInstanceOf(Unpack.UnsafeArchiveException.class).hasMessageContaining("symbolic link to '../..'");
        assertThatThrownBy(() -> unpack(tarGz("lib/", "here->lib", "here/x=1")))
                .isInstanceOf(Unpack.UnsafeArchiveException.class)
                .hasMessageContaining("would be written through the symbolic link 'here'");
        assertThatThrownBy(() -> unpack(tarGz("passwd=>../../etc/passwd")))
                .isInstanceOf(Unpack.UnsafeArchiveException.class).hasMessageContaining("climbs out");
    }
}
