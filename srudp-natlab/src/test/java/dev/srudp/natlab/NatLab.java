package dev.srudp.natlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running lab (lab/natlab.sh) with a prefix unique to this run. Closing it takes the lab down;
 * a shutdown hook does the same if the test JVM is stopped first.
 */
final class NatLab implements AutoCloseable {
    static final List<String> HOSTS = List.of("inet", "pub", "ra", "rb", "a1", "a2", "b1");
    private static final SecureRandom RANDOM = new SecureRandom();

    final String prefix;
    private final Thread shutdownHook;
    private boolean closed;

    private NatLab(String prefix) {
        this.prefix = prefix;
        this.shutdownHook = new Thread(this::down, "natlab-down-" + prefix);
    }

    /** A fresh prefix: "nl" and eight random base-36 characters. */
    static String freshPrefix() {
        StringBuilder b = new StringBuilder("nl");
        for (int i = 0; i < 8; i++) {
            b.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return b.toString();
    }

    /** Builds a lab (both routers port-restricted, hairpin off, coturn running). */
    static NatLab up() throws IOException, InterruptedException {
        NatLab lab = new NatLab(freshPrefix());
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.script("up");
        } catch (IOException | RuntimeException | InterruptedException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    void mode(char router, NatMode mode, boolean hairpin) throws IOException, InterruptedException {
        script("mode", String.valueOf(router), mode.label, "hairpin", hairpin ? "on" : "off");
    }

    void flush(char router) throws IOException, InterruptedException {
        script("flush", String.valueOf(router));
    }

    void loss(char router, int percent) throws IOException, InterruptedException {
        script("loss", String.valueOf(router), Integer.toString(percent));
    }

    /** Which IP versions a host has: "v4" (no IPv6 at all), "v6" (no IPv4 route out) or "dual". */
    void family(String host, String family) throws IOException, InterruptedException {
        script("family", host, family);
    }

    /** Makes the given hosts IPv4-only, so that only the routers' IPv4 NAT can carry a connection. */
    void ipv4Only(String... hosts) throws IOException, InterruptedException {
        for (String h : hosts) {
            family(h, "v4");
        }
    }

    /** A lab address by its name in natlab.sh (pub4, pub4alt, pub6, ra4, a16, ...). */
    String address(String name) throws IOException, InterruptedException {
        return script("addr", name).trim();
    }

    /** The command line that runs {@code command} inside a lab host's namespace. */
    List<String> in(String host, List<String> command) {
        if (!HOSTS.contains(host)) {
            throw new IllegalArgumentException("no host " + host + " in the lab");
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + host));
        full.addAll(command);
        return full;
    }

    /** The namespaces of this lab that exist now (empty after close). */
    List<String> namespaces() throws IOException, InterruptedException {
        List<String> mine = new ArrayList<>();
        for (String line : run(List.of("ip", "netns", "list"), 10).split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(prefix + "-")) {
                mine.add(name);
            }
        }
        return mine;
    }

    /** Runs the lab script with this lab's prefix; returns its standard output. */
    String script(String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LabSettings.script().toString(), command, prefix));
        cmd.addAll(List.of(args));
        return run(cmd, 60);
    }

    /** Runs a command to its end (bounded); a non-zero exit is an IOException carrying its stderr. */
    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        // both streams are small; read them on their own threads so neither fills and blocks
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + err.join().trim());
        }
        return out.join();
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private synchronized void down() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            script("down");
        } catch (IOException | InterruptedException e) {
            System.err.println("natlab: taking down lab " + prefix + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) down(), which is idempotent
        }
    }
}
