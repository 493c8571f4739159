package dev.vernier.testkit.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The entries of a .tar.gz (ustar, pax path records), read in Java so that a check needs no tar. */
public final class TarEntries {
    private static final int BLOCK = 512;

    private TarEntries() {}

    static List<String> of(InputStream tarGz) throws IOException {
        return read(tarGz, new java.util.TreeMap<>()).stream().sorted().toList();
    }

    /** The regular files of a .tar.gz by name, with their bytes. */
    public static java.util.Map<String, byte[]> files(java.nio.file.Path tarGz) throws IOException {
        java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
        try (InputStream in = java.nio.file.Files.newInputStream(tarGz)) {
            read(in, files);
        }
        return files;
    }

    /** Answers every entry's name and puts each regular file's bytes in {@code files}. */
    private static List<String> read(InputStream tarGz, java.util.Map<String, byte[]> files) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(tarGz)) {
            String paxPath = null;
            while (true) {
                byte[] header = in.readNBytes(BLOCK);
                if (header.length < BLOCK || isZero(header)) break;
                char type = (char) header[156];
                String sizeText = text(header, 124, 12).trim();
                long size = sizeText.isEmpty() ? 0 : Long.parseLong(sizeText, 8);
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
                if (type == 'x') {
                    paxPath = paxPath(new String(data, StandardCharsets.UTF_8));
                    continue;
                }
                String prefix = text(header, 345, 155);
                String name = paxPath != null ? paxPath : prefix.isEmpty() ? text(header, 0, 100) : prefix + "/" + text(header, 0, 100);
                names.add(name);
                if (type == '0' || type == 0) files.put(name, data);
                paxPath = null;
            }
        }
        return names;
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int eq = record.indexOf("path=");
            if (eq > 0 && record.substring(0, eq).matches("\\d+ ")) return record.substring(eq + "path=".length());
        }
        return null;
    }

    private static String text(byte[] header, int at, int length) {
        int end = at;
        while (end < at + length && header[end] != 0) end++;
        return new String(header, at, end - at, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }
}
