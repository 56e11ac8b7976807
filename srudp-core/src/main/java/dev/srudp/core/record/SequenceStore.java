package dev.srudp.core.record;

import dev.srudp.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The last record seen from each peer, so a reader refuses records older than one it has seen,
 * also after a restart when the store is file-backed.
 *
 * <p>For each peer the store keeps the sequence number and the SHA-256 of the record bytes, so a
 * repeat of the same record is told apart from a different record under the same number. It keeps
 * at most {@value #MAX_PEERS} peers and forgets the one updated least recently beyond that.
 *
 * <p>The file ({@value #FILE} in the home directory) is UTF-8 text, rewritten whole on every
 * change by writing a temporary file in the same directory and moving it over the old one, so a
 * crash leaves either the old or the new content:
 *
 * <pre>
 * srudp-sequences-v1
 * &lt;peer ID, 52 base32 characters&gt; &lt;sequence, unsigned decimal&gt; &lt;SHA-256 of the record, 64 hex digits&gt;
 * ...
 * </pre>
 *
 * Lines are in order of last update, oldest first. Instances are thread-safe.
 */
public final class SequenceStore {
    /** Name of the file inside the home directory. */
    public static final String FILE = "sequences";
    /** Most peers remembered. */
    public static final int MAX_PEERS = 10_000;

    static final String HEADER = "srudp-sequences-v1";
    private static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

    /** What the store knew when offered a record. */
    enum Verdict { NEW, REPEAT, OLDER, CONFLICT }

    /** A verdict and the sequence number seen before, if any. */
    record Offer(Verdict verdict, long seen) {
    }

    private record Seen(long sequence, byte[] digest) {
    }

    private final Path file;
    private final LinkedHashMap<PeerId, Seen> seen = new LinkedHashMap<>();

    private SequenceStore(Path file) {
        this.file = file;
    }

    /** A store that forgets everything when the process ends; for tests and short-lived tools. */
    public static SequenceStore inMemory() {
        return new SequenceStore(null);
    }

    /**
     * The store kept in {@code home}/{@value #FILE}, reading what it holds. The file is created
     * on the first change.
     *
     * @throws IOException when the file cannot be read or is damaged; the message says what to do
     */
    public static SequenceStore open(Path home) throws IOException {
        SequenceStore store = new SequenceStore(home.toAbsolutePath().resolve(FILE));
        store.read();
        return store;
    }

    /** The last sequence number seen from {@code peer}, if any. */
    public synchronized OptionalLong lastSequence(PeerId peer) {
        Seen last = seen.get(Objects.requireNonNull(peer, "peer"));
        return last == null ? OptionalLong.empty() : OptionalLong.of(last.sequence);
    }

    /**
     * Compares a verified record with the last one seen from its peer and, if it is newer,
     * remembers it. Persists before returning; when persisting fails the change is still held in
     * memory and the failure is thrown as {@link Persisted#failure}.
     */
    synchronized Persisted offer(PeerId peer, long sequence, byte[] recordBytes) {
        byte[] digest = Fingerprint.sha256(recordBytes);
        Seen last = seen.get(peer);
        if (last != null) {
            int order = Long.compareUnsigned(sequence, last.sequence);
            if (order < 0) {
                return new Persisted(new Offer(Verdict.OLDER, last.sequence), null);
            }
            if (order == 0) {
                Verdict verdict = MessageDigest.isEqual(digest, last.digest) ? Verdict.REPEAT : Verdict.CONFLICT;
                return new Persisted(new Offer(verdict, last.sequence), null);
            }
        }
        seen.remove(peer);
        seen.put(peer, new Seen(sequence, digest));
        Iterator<PeerId> oldest = seen.keySet().iterator();
        while (seen.size() > MAX_PEERS) {
            oldest.next();
            oldest.remove();
        }
        IOException failure = null;
        try {
            write();
        } catch (IOException e) {
            failure = e;
        }
        return new Persisted(new Offer(Verdict.NEW, last == null ? 0 : last.sequence), failure);
    }

    /** An offer's outcome and the error that kept it from reaching the disk, if any. */
    record Persisted(Offer offer, IOException failure) {
    }

    private void read() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw damaged("larger than " + MAX_FILE_BYTES + " bytes");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw damaged("it does not begin with \"" + HEADER + "\"");
        }
        HexFormat hex = HexFormat.of();
        for (int i = 1; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ", -1);
            try {
                if (parts.length != 3 || parts[2].length() != 64) {
                    throw new IllegalArgumentException("expected a peer ID, a sequence number and a digest");
                }
                seen.remove(PeerId.parse(parts[0]));
                seen.put(PeerId.parse(parts[0]),
                        new Seen(Long.parseUnsignedLong(parts[1]), hex.parseHex(parts[2])));
            } catch (IllegalArgumentException e) {
                throw damaged("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        Iterator<PeerId> oldest = seen.keySet().iterator();
        while (seen.size() > MAX_PEERS) {
            oldest.next();
            oldest.remove();
        }
    }

    private IOException damaged(String detail) {
        return new IOException(file + " is damaged (" + detail + "). Delete it to start afresh; srudp then "
                + "forgets which records it has seen and accepts each peer's current record again.");
    }

    private void write() throws IOException {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        HexFormat hex = HexFormat.of();
        for (Map.Entry<PeerId, Seen> entry : seen.entrySet()) {
            text.append(entry.getKey()).append(' ')
                    .append(Long.toUnsignedString(entry.getValue().sequence)).append(' ')
                    .append(hex.formatHex(entry.getValue().digest)).append('\n');
        }
        Path directory = file.getParent();
        Files.createDirectories(directory,
                IdentityStore.ownerOnly(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path temporary = Files.createTempFile(directory, FILE + ".", ".tmp",
                IdentityStore.ownerOnly(directory, IdentityStore.OWNER_FILE));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
