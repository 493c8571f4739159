package dev.vernier.training.artifacts;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Packs a directory into a .tar.gz (POSIX ustar, with pax headers for long names and big files),
 * entries named as SageMaker names them: relative to the directory, no leading "./". Written in
 * Java rather than by running tar and gzip, which cost two processes per artifact and job.
 */
public final class TarGz {
    private static final int BLOCK = 512;
    private static final int BUFFER = 8192;

    private TarGz() {}

    /** gzip's member header: deflate, no name, no time, unknown OS (RFC 1952). */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /**
     * One raw-deflate compressor per packing thread, reset between archives: a new one (what
     * GZIPOutputStream makes) allocates and clears some 270 KB of zlib state, twice per job.
     */
    private static final ThreadLocal<Deflater> DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

    /** Writes {@code dir}'s contents as a gzipped tar to {@code target}, which it does not close. */
    public static void pack(Path dir, OutputStream target) throws IOException {
        pack(List.of(dir), target);
    }

    /**
     * Writes the contents of {@code dirs} merged into one gzipped tar: a path that an earlier
     * directory has already given is left out of later ones (the first directory wins).
     */
    public static void pack(List<Path> dirs, OutputStream target) throws IOException {
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        BufferedOutputStream sink = new BufferedOutputStream(target, BUFFER);
        sink.write(GZIP_HEADER);
        DeflaterOutputStream deflated = new DeflaterOutputStream(sink, deflater, BUFFER);
        CRC32 crc = new CRC32();
        OutputStream out = new BufferedOutputStream(new CheckedOutputStream(deflated, crc), BUFFER);
        java.util.Set<String> written = new java.util.HashSet<>();
        for (Path dir : dirs) if (Files.isDirectory(dir)) writeChildren(out, dir, "", written);
        out.write(new byte[2 * BLOCK]);
        out.flush();
        deflated.finish();
        writeIntLittleEndian(sink, (int) crc.getValue());
        writeIntLittleEndian(sink, (int) deflater.getBytesRead());   // ISIZE: the input's length mod 2^32
        sink.flush();
    }

    private static void writeIntLittleEndian(OutputStream out, int value) throws IOException {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    private static void writeChildren(OutputStream out, Path dir, String prefix, java.util.Set<String> written)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            var attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = mode(attrs);
            long mtime = attrs.lastModifiedTime().toMillis() / 1000;
            boolean isNew = written.add(attrs.isDirectory() ? name + "/" : name);
            if (!isNew && !attrs.isDirectory()) continue;
            if (attrs.isSymbolicLink()) {
                writeHeader(out, name, '2', 0, mode, mtime, Files.readSymbolicLink(child).toString());
            } else if (attrs.isDirectory()) {
                if (isNew) writeHeader(out, name + "/", '5', 0, mode, mtime, "");
                writeChildren(out, child, name + "/", written);
            } else if (attrs.isRegularFile()) {
                long size = attrs.size();
                writeHeader(out, name, '0', size, mode, mtime, "");
                long copied = Files.copy(child, out);
                if (copied != size) throw new IOException(child + " changed size while being packed");
                int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                out.write(new byte[pad]);
            }
            // sockets, fifos, devices: not artifacts, skipped
        }
    }

    private static int mode(PosixFileAttributes attrs) {
        int mode = 0;
        for (PosixFilePermission p : attrs.permissions()) mode |= 1 << (8 - p.ordinal());
        return mode;
    }

    private static void writeHeader(OutputStream out, String name, char type, long size, int mode, long mtime,
                                    String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        boolean bigSize = size > 077777777777L;
        if (nameBytes.length > 100 || linkBytes.length > 100 || bigSize) {
            StringBuilder pax = new StringBuilder();
            if (nameBytes.length > 100) pax.append(paxRecord("path", name));
            if (linkBytes.length > 100) pax.append(paxRecord("linkpath", link));
            if (bigSize) pax.append(paxRecord("size", Long.toString(size)));
            byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.write(header("PaxHeader", 'x', data.length, 0644, mtime, new byte[0]));
            out.write(data);
            out.write(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
        }
        out.write(header(name, type, bigSize ? 0 : size, mode, mtime, linkBytes));
    }

    /** "LEN key=value\n" where LEN counts the whole record, its own digits included. */
    private static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) len++;
        return len + " " + key + "=" + value + "\n";
    }

    private static byte[] header(String name, char type, long size, int mode, long mtime, byte[] link) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.max(0, mtime));
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        return h;
    }

    private static void put(byte[] h, int at, int max, byte[] value) {
        System.arraycopy(value, 0, h, at, Math.min(max, value.length));
    }

    /** Zero-padded octal in {@code width - 1} digits and a NUL. */
    private static void octal(byte[] h, int at, int width, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, width - 1 - digits.length())) + digits;
        put(h, at, width - 1, padded.getBytes(StandardCharsets.US_ASCII));
    }
}
