package dev.srudp.discovery.autonomi.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The few operations the directory needs from an Autonomi client gateway, one implementation per
 * gateway flavour. Every method blocks on one HTTP exchange (bounded by the client's timeouts) and
 * is called from the directory's single worker thread.
 *
 * <p>Addresses are the 96-hex-character BLS public keys the network uses for pointers and
 * scratchpads. "Not found" is {@link Optional#empty()}; every other failure is an
 * {@link IOException}, a {@link GatewayStatusException} when the gateway answered with an error.
 */
public interface Gateway {

    /** Short name for messages: {@code "AntTP"} or {@code "dweb"}. */
    String kind();

    /** Where the gateway publishes its OpenAPI document, relative to the base URL. */
    String openApiPath();

    /** Path prefixes the OpenAPI document must list for this adapter to work. */
    java.util.List<String> requiredPaths();

    /**
     * Whether a successful write answer means the network has the value (dweb), or only that the
     * gateway queued it (AntTP), in which case the writer confirms by reading after {@link #cacheTtl}.
     */
    boolean writesAreSynchronous();

    /** How long a read may show an older value than the network has; zero without a read cache. */
    Duration cacheTtl();

    /** How long the gateway may keep answering "not found" after a value appeared. */
    Duration notFoundTtl();

    /** The pointer this gateway's owner key holds under {@code name}, if it exists. */
    Optional<PointerValue> findOwnPointer(String name) throws IOException;

    /** Creates a public scratchpad (paid) and returns its address. */
    String createScratchpad(String name, byte[] content) throws IOException;

    /**
     * Rewrites an existing public scratchpad (free). {@code counter} is the network counter to
     * write where the gateway accepts one; it must exceed the stored one.
     */
    void updateScratchpad(String address, String name, byte[] content, long counter) throws IOException;

    /** Creates a pointer (paid) targeting a scratchpad and returns the pointer's address. */
    String createPointer(String name, String scratchpadAddress) throws IOException;

    /** Reads a pointer (free, no key). */
    Optional<PointerValue> readPointer(String pointerAddress) throws IOException;

    /** Reads a public scratchpad (free, no key). */
    Optional<ScratchpadValue> readScratchpad(String scratchpadAddress) throws IOException;
}
