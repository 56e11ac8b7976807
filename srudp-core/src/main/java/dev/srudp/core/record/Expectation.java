package dev.srudp.core.record;

import dev.srudp.PeerId;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reader expects of a record beyond a valid signature and validity interval: optionally
 * the identity that signed it and the directory address it was read from. Immutable.
 */
public final class Expectation {
    /** No expectation beyond the checks every record passes. */
    public static final Expectation ANY = new Expectation(null, null);

    private final PeerId identity;
    private final URI publishedAt;

    private Expectation(PeerId identity, URI publishedAt) {
        this.identity = identity;
        this.publishedAt = publishedAt;
    }

    /** Expects a record of {@code identity}. */
    public static Expectation of(PeerId identity) {
        return ANY.withIdentity(identity);
    }

    /** The same expectation, also requiring a record of {@code peer}. */
    public Expectation withIdentity(PeerId peer) {
        return new Expectation(Objects.requireNonNull(peer, "peer"), publishedAt);
    }

    /**
     * The same expectation, also requiring that the record names {@code address} as where it was
     * published, so a record copied from another directory slot is refused. Addresses are
     * compared as strings, exactly.
     */
    public Expectation withPublishedAt(URI address) {
        return new Expectation(identity, Objects.requireNonNull(address, "address"));
    }

    /** The identity required, if any. */
    public Optional<PeerId> identity() {
        return Optional.ofNullable(identity);
    }

    /** The directory address required, if any. */
    public Optional<URI> publishedAt() {
        return Optional.ofNullable(publishedAt);
    }

    @Override
    public String toString() {
        return "Expectation[identity " + (identity == null ? "any" : identity)
                + ", published at " + (publishedAt == null ? "any" : publishedAt) + "]";
    }
}
