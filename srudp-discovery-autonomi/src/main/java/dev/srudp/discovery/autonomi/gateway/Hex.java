package dev.srudp.discovery.autonomi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of the hex addresses gateways send and receive. */
public final class Hex {
    /** A pointer or scratchpad address: a 48-byte compressed BLS public key, 96 hex characters. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-f]{96}");

    private Hex() {}

    /** Whether {@code s} is a 96-hex-character address (lowercase). */
    public static boolean isAddress(String s) {
        return s != null && ADDRESS.matcher(s).matches();
    }

    /** The address lowercased, or an exception: addresses become URL path segments. */
    static String checked(String address) {
        String lower = address == null ? null : address.toLowerCase(Locale.ROOT);
        if (!isAddress(lower)) {
            throw new IllegalArgumentException("not a 96-hex-character Autonomi address");
        }
        return lower;
    }

    static String address(JsonNode node, String what) throws IOException {
        String text = node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : null;
        if (!isAddress(text)) {
            throw new IOException(what + " answered without a 96-hex-character address");
        }
        return text;
    }
}
