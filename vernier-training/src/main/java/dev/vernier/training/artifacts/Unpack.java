package dev.vernier.training.artifacts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a .tar.gz (or a plain .tar) into a directory, refusing any archive that would write
 * outside it ("zip slip"): absolute entry names, names that climb out with {@code ..}, symbolic and
 * hard links that point outside, entries that would be written through a link, and device files.
 * Entries before the offending one stay: unpack into a directory of its own and drop it when this throws.
 */
public final class Unpack {
    private Unpack() {}

    /** An archive that would write outside its directory, or holds what Vernier does not unpack. */
    public static final class UnsafeArchiveException extends IOException {
        public UnsafeArchiveException(String message) {
            super(message);
        }
    }

    /** Unpacks {@code archive} (gzipped or not) into {@code target}, which is created if missing. */
    public static void tar(InputStream archive, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        BufferedInputStream in = new BufferedInputStream(archive);
        in.mark(2);
        boolean gzipped = in.read() == 0x1f & in.read() == 0x8b;
        in.reset();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gzipped ? new GZIPInputStream(in) : in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                Path dest = inside(root, name, name);
                if (dest.equals(root)) continue;   // "./"
                noLinkOnTheWay(root, dest, name);
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw new UnsafeArchiveException("archive entry '" + name + "' is a device or FIFO, which is not unpacked");
                } else if (entry.isDirectory()) {
                    Files.createDirectories(dest);
                } else if (entry.isSymbolicLink()) {
                    String link = entry.getLinkName();
                    if (link.startsWith("/"))
                        throw new UnsafeArchiveException("archive entry '" + name + "' is a symbolic link to the absolute path '"
                                + link + "', outside the directory it is unpacked into");
                    if (!dest.getParent().resolve(link).normalize().startsWith(root))
                        throw new UnsafeArchiveException("archive entry '" + name + "' is a symbolic link to '" + link
                                + "', outside the directory it is unpacked into");
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(link));
                } else if (entry.isLink()) {
                    Path source = inside(root, entry.getLinkName(), name);
                    noLinkOnTheWay(root, source, name);
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createLink(dest, source);
                } else if (entry.isFile()) {
                    Files.createDirectories(dest.getParent());
                    Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(dest));
                        perms.add(PosixFilePermission.OWNER_EXECUTE);
                        if ((entry.getMode() & 010) != 0) perms.add(PosixFilePermission.GROUP_EXECUTE);
                        if ((entry.getMode() & 01) != 0) perms.add(PosixFilePermission.OTHERS_EXECUTE);
                        Files.setPosixFilePermissions(dest, perms);
                    }
                } else {
                    throw new UnsafeArchiveException("archive entry '" + name + "' is a device, FIFO or other special "
                            + "file, which is not unpacked");
                }
            }
        }
    }

    /** Where {@code name} lands below {@code root}; throws when it is absolute or climbs out. */
    private static Path inside(Path root, String name, String entry) throws UnsafeArchiveException {
        if (name.startsWith("/"))
            throw new UnsafeArchiveException("archive entry '" + entry + "' has an absolute path, which would write "
                    + "outside the directory it is unpacked into");
        Path dest = root.resolve(name).normalize();
        if (!dest.startsWith(root))
            throw new UnsafeArchiveException("archive entry '" + entry + "' climbs out of the directory it is unpacked "
                    + "into (..)");
        return dest;
    }

    /** Throws when a directory on the way from {@code root} to {@code dest} is a symbolic link (written by an earlier entry). */
    private static void noLinkOnTheWay(Path root, Path dest, String entry) throws UnsafeArchiveException {
        for (Path p = dest.getParent(); p != null && !p.equals(root) && p.startsWith(root); p = p.getParent())
            if (Files.isSymbolicLink(p))
                throw new UnsafeArchiveException("archive entry '" + entry + "' would be written through the symbolic link '"
                        + root.relativize(p) + "'");
    }
}
