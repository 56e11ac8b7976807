package dev.srudp.discovery.autonomi;

import dev.srudp.PeerId;
import dev.srudp.discovery.autonomi.gateway.Hex;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The address partners exchange: {@code autonomi:<pointer-address>?id=<peer id>}. The pointer
 * address is 96 hex characters (a BLS public key); the peer id is srudp's text form of the
 * partner's identity and may be left out for lookups. The gateway is not part of the address: each
 * peer reads through its own.
 */
public record AutonomiAddress(String pointerAddress, Optional<String> identity) {
    /** The URI scheme. */
    public static final String SCHEME = "autonomi";

    public AutonomiAddress {
        Objects.requireNonNull(identity, "identity");
        String lower = pointerAddress == null ? null : pointerAddress.toLowerCase(Locale.ROOT);
        if (!Hex.isAddress(lower)) {
            throw new IllegalArgumentException("an autonomi: address names a pointer by 96 hex characters");
        }
        pointerAddress = lower;
        identity.ifPresent(PeerId::parse);
    }

    /**
     * Reads {@code autonomi:<pointer-address>[?id=<peer id>]}.
     *
     * @throws IllegalArgumentException for another scheme, a malformed address, an unknown parameter
     *     or an identity that is not a peer id
     */
    public static AutonomiAddress parse(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(SCHEME) || !uri.isOpaque()) {
            throw new IllegalArgumentException("not an autonomi: address (autonomi:<96 hex>?id=<peer id>): " + uri);
        }
        String rest = uri.getSchemeSpecificPart();
        int q = rest.indexOf('?');
        String address = q < 0 ? rest : rest.substring(0, q);
        Optional<String> identity = Optional.empty();
        if (q >= 0) {
            String query = rest.substring(q + 1);
            if (!query.startsWith("id=") || query.contains("&")) {
                throw new IllegalArgumentException("an autonomi: address takes one parameter, id=<peer id>: " + uri);
            }
            identity = Optional.of(query.substring(3));
        }
        return new AutonomiAddress(address, identity);
    }

    /** The URI form. */
    public URI toUri() {
        return URI.create(SCHEME + ":" + pointerAddress + identity.map(id -> "?id=" + id).orElse(""));
    }
}
