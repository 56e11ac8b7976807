package dev.srudp.discovery.autonomi;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * What this directory stores in the public scratchpad: the signed record behind a publish counter.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |              magic "SRA1" = 0x53 0x52 0x41 0x31               |
 * +---------------------------------------------------------------+
 * |                publish counter (u64, big-endian)              |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                signed record (opaque, to the end)             |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Why a counter of our own: AntTP chooses the network counter itself and hides it until its
 * command has run, and it drops a command whose data equals the previous one as a duplicate
 * (research note, appendix). A counter inside the data makes every retry distinct, lets a reader
 * refuse a rolled-back value whatever the gateway, and survives rotating the scratchpad (a new
 * scratchpad starts its network counter again). Only the owner key can write the scratchpad, so
 * only the owner sets this counter; the record inside carries its own signature anyway.
 */
final class Envelope {
    static final byte[] MAGIC = {0x53, 0x52, 0x41, 0x31};
    static final int HEADER_BYTES = MAGIC.length + Long.BYTES;
    /** "Max Scratchpad size is 4MB including the metadata." */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** A decoded envelope. */
    record Opened(long counter, byte[] record) {}

    private Envelope() {}

    static byte[] seal(long counter, byte[] record) {
        if (counter < 0) {
            throw new IllegalArgumentException("a publish counter is not negative");
        }
        if (record.length > MAX_BYTES - HEADER_BYTES) {
            throw new IllegalArgumentException("a record of " + record.length + " bytes does not fit a scratchpad ("
                    + (MAX_BYTES - HEADER_BYTES) + " bytes at most)");
        }
        return ByteBuffer.allocate(HEADER_BYTES + record.length).put(MAGIC).putLong(counter).put(record).array();
    }

    /** The envelope in {@code bytes}, or empty for anything else, whatever the bytes. */
    static Optional<Opened> open(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes.length > MAX_BYTES
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        long counter = ByteBuffer.wrap(bytes, MAGIC.length, Long.BYTES).getLong();
        if (counter < 0) {
            return Optional.empty();
        }
        return Optional.of(new Opened(counter, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length)));
    }
}
