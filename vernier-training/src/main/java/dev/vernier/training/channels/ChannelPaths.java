package dev.vernier.training.channels;

import java.io.IOException;
import java.nio.file.Path;

/** Paths below a channel directory that cannot leave it (zip-slip and "../" in keys and manifests). */
public final class ChannelPaths {
    private ChannelPaths() {}

    /** {@code dir/relative}, refused when it would not be strictly inside {@code dir}. */
    public static Path inside(Path dir, String relative, String what) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path target = base.resolve(relative).normalize();
        if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\0') >= 0 || !target.startsWith(base)
                || target.equals(base))
            throw new IOException(what + " '" + relative + "' would be staged outside the channel directory: refused");
        return target;
    }
}
