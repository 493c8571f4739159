package dev.vernier.training.channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * MXNet's RecordIO framing, as SageMaker wraps objects with RecordWrapperType RecordIO: per record
 * the magic number 0xced7230a and the length (both 32-bit little-endian; the top three bits of the
 * length word are the continuation flag, 0 for a whole record), the bytes, then zeros to a multiple of 4.
 */
public final class RecordIo {
    public static final int MAGIC = 0xced7230a;
    /** The length field has 29 bits. */
    public static final long MAX_RECORD = (1L << 29) - 1;

    private RecordIo() {}

    public static void write(OutputStream out, InputStream data, long length) throws IOException {
        if (length > MAX_RECORD) throw new IOException("a record of " + length + " bytes is longer than RecordIO's 2^29 - 1");
        writeIntLe(out, MAGIC);
        writeIntLe(out, (int) length);
        long copied = data.transferTo(out);
        if (copied != length) throw new IOException("record changed while it was sent: " + copied + " bytes, not " + length);
        for (long pad = (4 - length % 4) % 4; pad > 0; pad--) out.write(0);
    }

    private static void writeIntLe(OutputStream out, int v) throws IOException {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }
}
