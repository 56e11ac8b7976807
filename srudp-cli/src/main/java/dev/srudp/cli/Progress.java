package dev.srudp.cli;

import java.io.PrintStream;

/** A one-line progress display on standard error: bytes, rate, ETA. */
final class Progress {
    private static final long INTERVAL_NANOS = 250_000_000L;
    private final PrintStream out;
    private final String verb;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastNanos;

    Progress(PrintStream out, String verb, long total) {
        this.out = out;
        this.verb = verb;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now - lastNanos >= INTERVAL_NANOS || done == total) {
            lastNanos = now;
            double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
            double rate = done / seconds;
            long etaSeconds = rate > 0 ? (long) ((total - done) / rate) : 0;
            int percent = total == 0 ? 100 : (int) (done * 100 / total);
            out.printf("\r%s %s / %s (%d%%) at %s/s, ETA %ds   ", verb, bytes(done), bytes(total), percent,
                    bytes((long) rate), etaSeconds);
            if (done == total) {
                out.println();
            }
            out.flush();
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format("%.1f MiB", n / 1048576.0);
        }
        return String.format("%.2f GiB", n / 1073741824.0);
    }
}
