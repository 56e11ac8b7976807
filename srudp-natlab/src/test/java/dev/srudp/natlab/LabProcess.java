package dev.srudp.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program running in a lab namespace, its output lines recorded with the monotonic time they
 * arrived. Closing it ends the process and its children, by pid.
 */
final class LabProcess implements AutoCloseable {
    /** One output line and when it was read, in {@link System#nanoTime()} nanoseconds. */
    record Line(long atNanos, String text) {
    }

    final String name;
    private final Process process;
    private final List<Line> out = new ArrayList<>();
    private final List<Line> err = new ArrayList<>();
    private final long startedNanos;
    private volatile long exitedNanos;

    private LabProcess(String name, Process process, boolean readStdout) {
        this.name = name;
        this.process = process;
        this.startedNanos = System.nanoTime();
        if (readStdout) {
            reader(process.getInputStream(), out, "out");
        }
        reader(process.getErrorStream(), err, "err");
        process.onExit().thenRun(() -> exitedNanos = System.nanoTime());
    }

    /** Starts {@code command}; stdin is a pipe unless {@code stdin} names a file, stdout lines are kept unless {@code stdout} names a file. */
    static LabProcess start(String name, List<String> command, Path stdin, Path stdout) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command);
        if (stdin != null) {
            b.redirectInput(stdin.toFile());
        }
        if (stdout != null) {
            b.redirectOutput(stdout.toFile());
        }
        return new LabProcess(name, b.start(), stdout == null);
    }

    private void reader(InputStream stream, List<Line> lines, String which) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (this) {
                        lines.add(new Line(System.nanoTime(), line));
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process was ended: what was read is kept
            }
            synchronized (this) {
                notifyAll();
            }
        }, "natlab-" + name + "-" + which);
        t.setDaemon(true);
        t.start();
    }

    void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Waits until a stdout (or stderr) line matches, the process has exited, or the deadline passes. */
    synchronized Line await(boolean stderr, Predicate<String> match, long deadlineNanos) throws InterruptedException {
        List<Line> lines = stderr ? err : out;
        while (true) {
            for (Line l : lines) {
                if (match.test(l.text())) {
                    return l;
                }
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || (!process.isAlive() && readersDone())) {
                return null;
            }
            wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
        }
    }

    private boolean readersDone() {
        // after exit the readers finish within moments; one more short wait round is enough
        return System.nanoTime() - exitedNanos > 200_000_000L && exitedNanos != 0;
    }

    synchronized Line firstErr(Predicate<String> match) {
        return err.stream().filter(l -> match.test(l.text())).findFirst().orElse(null);
    }

    synchronized List<String> errLines() {
        return err.stream().map(Line::text).toList();
    }

    /** Every line of both streams so far, with when it was read, in the order read per stream. */
    synchronized List<Line> timedLines(boolean stderr) {
        return List.copyOf(stderr ? err : out);
    }

    synchronized List<String> outLines() {
        return out.stream().map(Line::text).toList();
    }

    boolean waitFor(long deadlineNanos) throws InterruptedException {
        return process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code, or -1 while running. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    long startedNanos() {
        return startedNanos;
    }

    /** When the process ended, or 0 while it runs. */
    long exitedNanos() {
        return exitedNanos;
    }

    /** The last thing the program said on stderr, for failure messages. */
    String tail(int lines) {
        List<String> all = errLines();
        return String.join("\n    ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
