package dev.srudp.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The file transfer exchange on one stream.
 * <pre>
 *  sender:   "srudp-file 1\n", name length (u16) + UTF-8 name, size (u64), the bytes,
 *            SHA-256 of the bytes (32), FIN
 *  receiver: "ok\n" once the file is complete, verified and in place, or "error: reason\n"; FIN
 * </pre>
 */
final class FileTransfer {
    static final String MAGIC = "srudp-file 1\n";
    static final int MAX_NAME_BYTES = 1024;

    private FileTransfer() {
    }

    static void writeHeader(DataOutputStream out, String name, long size) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeShort(n.length);
        out.write(n);
        out.writeLong(size);
    }

    record Header(String name, long size) {
    }

    static Header readHeader(DataInputStream in) throws IOException, ExitCodes.Failure {
        byte[] magic = new byte[MAGIC.length()];
        in.readFully(magic);
        if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the partner is not sending a file (is it running "
                    + "'srudp send'?)");
        }
        int length = in.readUnsignedShort();
        if (length == 0 || length > MAX_NAME_BYTES) {
            throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the partner sent an invalid file name");
        }
        byte[] n = new byte[length];
        in.readFully(n);
        String name = new String(n, StandardCharsets.UTF_8);
        long size = in.readLong();
        if (size < 0) {
            throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the partner sent an invalid file size");
        }
        return new Header(name, size);
    }

    /** The last path element of a name the partner chose, refused if it tries to leave the folder. */
    static String safeName(String name) throws ExitCodes.Failure {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        if (base.isEmpty() || base.equals(".") || base.equals("..") || base.startsWith(".") || base.indexOf('\0') >= 0) {
            throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the partner sent an unsafe file name: " + name);
        }
        return base;
    }
}
