package dev.srudp.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --stun} option: which STUN servers an endpoint asks for its reflexive addresses.
 *
 * <p>Without the option the documented public servers are used ({@link #PUBLIC}), unless the
 * system property {@value #DEFAULT_PROPERTY} (or the environment variable
 * {@value #DEFAULT_VARIABLE}) says otherwise: {@code none}, or another list. The build sets it to
 * {@code none} for every test, so that no test contacts a public server.
 */
final class StunServers {
    /** Public STUN servers that answer Binding requests without credentials. */
    static final String PUBLIC = "stun.l.google.com:19302,stun.cloudflare.com:3478";
    static final String DEFAULT_PROPERTY = "srudp.stun.default";
    static final String DEFAULT_VARIABLE = "SRUDP_STUN_DEFAULT";
    static final int DEFAULT_PORT = 3478;

    /** A server as the user named it, and its address if its name resolved. */
    record Server(String name, InetSocketAddress address) {
    }

    private StunServers() {
    }

    /** The list in effect: the option's value, else the default. */
    static String effective(String option) {
        if (option != null) {
            return option;
        }
        String d = System.getProperty(DEFAULT_PROPERTY);
        if (d == null) {
            d = System.getenv(DEFAULT_VARIABLE);
        }
        return d != null ? d : PUBLIC;
    }

    /**
     * Parses {@code HOST:PORT[,HOST:PORT...]} or {@code none} (HOST may be a name, an IPv4 address
     * or a bracketed IPv6 address; PORT defaults to 3478) and resolves each name. A name that does
     * not resolve is reported on {@code err} and left out.
     */
    static List<Server> resolve(String spec, PrintStream err) throws ExitCodes.Failure {
        List<Server> out = new ArrayList<>();
        String s = spec.trim();
        if (s.isEmpty() || s.toLowerCase(Locale.ROOT).equals("none")) {
            return out;
        }
        for (String item : s.split(",")) {
            String t = item.trim();
            String host;
            int port = DEFAULT_PORT;
            int close = t.indexOf(']');
            int colon = t.lastIndexOf(':');
            if (t.startsWith("[") && close > 0) {
                host = t.substring(1, close);
                if (close + 1 < t.length()) {
                    if (t.charAt(close + 1) != ':') {
                        throw usage(t);
                    }
                    port = port(t.substring(close + 2), t);
                }
            } else if (colon > 0 && t.indexOf(':') == colon) {
                host = t.substring(0, colon);
                port = port(t.substring(colon + 1), t);
            } else if (colon < 0 && !t.isEmpty()) {
                host = t;
            } else {
                throw usage(t);
            }
            try {
                out.add(new Server(t, new InetSocketAddress(InetAddress.getByName(host), port)));
            } catch (UnknownHostException e) {
                err.println("srudp: STUN server " + t + " cannot be resolved (unknown host or no DNS); "
                        + "going on without it");
                out.add(new Server(t, null));
            }
        }
        return out;
    }

    static List<InetSocketAddress> addresses(List<Server> servers) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Server s : servers) {
            if (s.address() != null && !out.contains(s.address()) && out.size() < 16) {
                out.add(s.address());
            }
        }
        return out;
    }

    private static int port(String text, String item) throws ExitCodes.Failure {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage(item);
    }

    private static ExitCodes.Failure usage(String item) {
        return new ExitCodes.Failure(ExitCodes.USAGE, "--stun " + item
                + " is not a STUN server: write HOST:PORT (an IPv6 address in brackets, [::1]:3478), "
                + "several separated by commas, or none");
    }
}
