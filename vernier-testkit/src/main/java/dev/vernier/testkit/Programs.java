package dev.vernier.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Test training programs (POSIX sh scripts in src/test/resources/programs), installed as executables. */
public final class Programs {
    private static final Path DIR;

    static {
        try {
            // Readable by all (0755): a server that runs as root runs them as another user.
            DIR = Files.createTempDirectory("vernier-programs",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Programs() {}

    /** The {@code file://} TrainingImage of the named program. */
    public static String image(String name) {
        return "file://" + path(name);
    }

    public static synchronized Path path(String name) {
        Path target = DIR.resolve(name);
        if (Files.exists(target)) return target;
        try (InputStream in = Programs.class.getResourceAsStream("/programs/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test program " + name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        target.toFile().setExecutable(true, false);
        target.toFile().setReadable(true, false);
        return target;
    }
}
