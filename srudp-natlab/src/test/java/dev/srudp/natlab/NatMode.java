package dev.srudp.natlab;

/** A lab router's behaviour, named as lab/natlab.sh names it. */
enum NatMode {
    FULL_CONE("full-cone"),
    ADDRESS_RESTRICTED("address-restricted"),
    PORT_RESTRICTED("port-restricted"),
    SYMMETRIC_RANDOM("symmetric-random"),
    SYMMETRIC_SEQUENTIAL("symmetric-sequential"),
    UDP_BLOCKED("udp-blocked");

    final String label;

    NatMode(String label) {
        this.label = label;
    }

    boolean isCone() {
        return this == FULL_CONE || this == ADDRESS_RESTRICTED || this == PORT_RESTRICTED;
    }

    boolean isSymmetric() {
        return this == SYMMETRIC_RANDOM || this == SYMMETRIC_SEQUENTIAL;
    }

    /** What issue 5 expects of a pair of routers. */
    static Expectation expect(NatMode a, NatMode b) {
        if (a == UDP_BLOCKED || b == UDP_BLOCKED) {
            return Expectation.FAILS_WITH_REASON;
        }
        if (a.isCone() && b.isCone()) {
            return Expectation.DIRECT_EVERY_TIME;
        }
        // one side full cone or address-restricted, the other anything but UDP-blocked
        if (a == FULL_CONE || a == ADDRESS_RESTRICTED || b == FULL_CONE || b == ADDRESS_RESTRICTED) {
            return Expectation.DIRECT_EVERY_TIME;
        }
        // symmetric against symmetric or port-restricted: NAT traversal II (issue 7) turns them green
        return Expectation.DIRECT_OR_CLEAR_FAILURE;
    }

    @Override
    public String toString() {
        return label;
    }

    enum Expectation {
        DIRECT_EVERY_TIME("direct every time"),
        DIRECT_OR_CLEAR_FAILURE("direct, or a clear failure within 15 s"),
        FAILS_WITH_REASON("fails with a clear reason within 15 s");

        final String text;

        Expectation(String text) {
            this.text = text;
        }
    }
}
