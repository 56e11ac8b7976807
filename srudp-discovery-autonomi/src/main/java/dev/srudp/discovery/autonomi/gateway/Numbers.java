package dev.srudp.discovery.autonomi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

final class Numbers {
    private Numbers() {}

    /** A network counter: a non-negative whole number; {@code null} (AntTP after a create) is 0. */
    static long counter(JsonNode node, String what) throws IOException {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new IOException(what + " answered with a counter that is not a non-negative whole number");
        }
        return node.asLong();
    }
}
