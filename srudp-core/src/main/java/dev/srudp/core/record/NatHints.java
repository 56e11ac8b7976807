package dev.srudp.core.record;

import java.util.Objects;

/**
 * What a peer knows about the NAT in front of it, in the terms of RFC 4787; each part is
 * {@code UNKNOWN} until measured.
 *
 * @param mapping how the NAT reuses an external address and port
 * @param filtering which inbound packets the NAT lets through
 * @param portAllocation how the NAT picks external ports
 * @param portStep with {@link PortAllocation#SEQUENTIAL}, the difference between the external
 *                 ports of successive new mappings (-1024 to 1024); 0 when unknown
 */
public record NatHints(Mapping mapping, Filtering filtering, PortAllocation portAllocation, int portStep) {
    /** Largest step magnitude a record carries. */
    public static final int MAX_PORT_STEP = 1024;
    /** Nothing known. */
    public static final NatHints UNKNOWN = new NatHints(Mapping.UNKNOWN, Filtering.UNKNOWN, PortAllocation.UNKNOWN);

    /** Rejects nulls (use {@code UNKNOWN} values instead) and steps beyond {@link #MAX_PORT_STEP}. */
    public NatHints {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(filtering, "filtering");
        Objects.requireNonNull(portAllocation, "portAllocation");
        if (portStep < -MAX_PORT_STEP || portStep > MAX_PORT_STEP) {
            throw new IllegalArgumentException("port step must be within +-" + MAX_PORT_STEP + ", got " + portStep);
        }
    }

    /** Hints without a known port step. */
    public NatHints(Mapping mapping, Filtering filtering, PortAllocation portAllocation) {
        this(mapping, filtering, portAllocation, 0);
    }

    /** RFC 4787 section 4.1: which destinations share one external mapping. */
    public enum Mapping {
        UNKNOWN,
        /** One mapping for every destination: reflexive addresses are reusable. */
        ENDPOINT_INDEPENDENT,
        /** A mapping per destination address. */
        ADDRESS_DEPENDENT,
        /** A mapping per destination address and port (a "symmetric" NAT). */
        ADDRESS_AND_PORT_DEPENDENT
    }

    /** RFC 4787 section 5: which sources may send into an existing mapping. */
    public enum Filtering {
        UNKNOWN,
        /** Anyone. */
        ENDPOINT_INDEPENDENT,
        /** Addresses the peer has sent to. */
        ADDRESS_DEPENDENT,
        /** Address and port pairs the peer has sent to. */
        ADDRESS_AND_PORT_DEPENDENT
    }

    /** RFC 4787 section 4.2: how external ports are chosen. */
    public enum PortAllocation {
        UNKNOWN,
        /** The external port equals the internal one when free. */
        PRESERVING,
        /** Successive mappings take successive ports. */
        SEQUENTIAL,
        /** Ports are chosen at random. */
        RANDOM
    }
}
