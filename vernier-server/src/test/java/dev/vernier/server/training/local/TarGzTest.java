package dev.vernier.server.training.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {
    @TempDir Path tmp;

    @Test
    void system_tar_extracts_what_we_pack_including_long_names_links_and_modes() throws Exception {
        Path model = tmp.resolve("model");
        String longDir = "d".repeat(90) + "/" + "e".repeat(60);
        Files.createDirectories(model.resolve(longDir));
        Files.writeString(model.resolve(longDir).resolve("weights-" + "w".repeat(120) + ".bin"), "long");
        Files.write(model.resolve("model.bin"), new byte[1000]);
        Files.createDirectories(model.resolve("empty"));
        Files.writeString(model.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(model.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(model.resolve("latest"), Path.of("model.bin"));

        Path tarGz = tmp.resolve("model.tar.gz");
        pack(model, tarGz);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarGz.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        String messages = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as(messages).isZero();

        assertThat(out.resolve(longDir).resolve("weights-" + "w".repeat(120) + ".bin")).hasContent("long");
        assertThat(Files.size(out.resolve("model.bin"))).isEqualTo(1000);
        assertThat(out.resolve("empty")).isEmptyDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("run.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(out.resolve("latest"))).isEqualTo(Path.of("model.bin"));
        assertThat(LocalTrainingBackendTest.tarListing(tarGz)).contains("empty/", "latest", "model.bin", "run.sh")
                .noneMatch(name -> name.startsWith("./"));
    }

    @Test
    void a_missing_or_empty_directory_packs_to_an_empty_archive() throws Exception {
        Path tarGz = tmp.resolve("empty.tar.gz");
        pack(tmp.resolve("no-such-dir"), tarGz);
        assertThat(LocalTrainingBackendTest.tarListing(tarGz)).isEmpty();
    }

    private static void pack(Path dir, Path tarGz) throws java.io.IOException {
        try (var out = Files.newOutputStream(tarGz)) {
            TarGz.pack(dir, out);
        }
    }
}
