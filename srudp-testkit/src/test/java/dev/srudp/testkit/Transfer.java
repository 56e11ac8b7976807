package dev.srudp.testkit;

import dev.srudp.SrudpStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Moves a deterministic pseudo-random byte sequence through a stream in a simulation: the sender
 * writes whatever fits, the receiver reads whatever is there, and both hash what they saw.
 */
final class Transfer {
    private final SrudpStream sender;
    private SrudpStream receiver;
    private final long total;
    private final SplittableRandom content;
    private final MessageDigest sent = sha256();
    private final MessageDigest received = sha256();
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private long written;
    private long read;
    private boolean finished;
    private boolean endOfStream;

    Transfer(SrudpStream sender, SrudpStream receiver, long total, long seed) {
        this.sender = sender;
        this.receiver = receiver;
        this.total = total;
        this.content = new SplittableRandom(seed);
        pending.limit(0);
    }

    Transfer withReceiver(SrudpStream r) {
        this.receiver = r;
        return this;
    }

    /** Does what the application can do now without blocking; true once everything arrived. */
    boolean pump() throws IOException {
        pumpSender();
        return pumpReceiver();
    }

    void pumpSender() throws IOException {
        while (written < total || pending.hasRemaining()) {
            if (!pending.hasRemaining()) {
                int n = (int) Math.min(pending.capacity(), total - written);
                pending.clear();
                for (int i = 0; i < n; i++) {
                    pending.put((byte) content.nextInt());
                }
                pending.flip();
                sent.update(pending.duplicate());
                written += n;
            }
            if (sender.tryWrite(pending) == 0) {
                break;
            }
        }
        if (written == total && !pending.hasRemaining() && !finished) {
            finished = true;
            sender.shutdownOutput();
        }
    }

    boolean pumpReceiver() throws IOException {
        while (!endOfStream) {
            readBuffer.clear();
            int n = receiver.tryRead(readBuffer);
            if (n < 0) {
                endOfStream = true;
            } else if (n == 0) {
                break;
            } else {
                readBuffer.flip();
                received.update(readBuffer);
                read += n;
            }
        }
        return endOfStream;
    }

    long bytesRead() {
        return read;
    }

    boolean intact() {
        return endOfStream && read == total
                && MessageDigest.isEqual(((MessageDigest) clone(sent)).digest(), ((MessageDigest) clone(received)).digest());
    }

    private static Object clone(MessageDigest d) {
        try {
            return d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transfer whose receiving stream has not been accepted yet. */
    static final class Pending {
        private final SrudpStream sender;
        private final java.util.concurrent.CompletableFuture<SrudpStream> incoming;
        private final long total;
        private final long seed;
        private Transfer transfer;
        private Transfer early;

        Pending(SrudpStream sender, java.util.concurrent.CompletableFuture<SrudpStream> incoming, long total,
                long seed) {
            this.sender = sender;
            this.incoming = incoming;
            this.total = total;
            this.seed = seed;
        }

        boolean pump() throws IOException {
            if (transfer == null && incoming.isDone()) {
                transfer = early != null ? early.withReceiver(incoming.join()) : new Transfer(sender, incoming.join(),
                        total, seed);
            }
            if (transfer == null) {
                if (early == null) {
                    early = new Transfer(sender, null, total, seed);
                }
                early.pumpSender();
                return false;
            }
            return transfer.pump();
        }

        Transfer transfer() {
            return transfer;
        }

        String progress() {
            Transfer t = transfer != null ? transfer : early;
            return t == null ? "nothing sent" : "written " + t.written + ", read " + t.read;
        }
    }
}
