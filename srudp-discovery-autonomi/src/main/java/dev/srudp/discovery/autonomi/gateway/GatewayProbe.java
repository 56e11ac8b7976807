package dev.srudp.discovery.autonomi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srudp.discovery.autonomi.GatewayUnsupportedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Chooses and checks a gateway adapter by reading the gateway's OpenAPI document: AntTP serves it
 * at {@code /api-docs/openapi.json}, dweb at {@code /api/openapi.json} (research note §2.1, §2.3).
 *
 * <p>The probe exists because a gateway built for the network generation without mutable types
 * (AntTP 0.26+, current antd) answers 404 on the pointer paths: without it, that 404 would read as
 * "the partner has no record".
 */
public final class GatewayProbe {
    static final String UPGRADE_HINT = "pointers and scratchpads exist only on the legacy Autonomi network:"
            + " use AntTP 0.24.4 to 0.25.33 or dweb 0.13.x (AntTP 0.26 and later, and antd, are built for"
            + " Autonomi 2.0, which stores immutable chunks only)";

    private GatewayProbe() {}

    /**
     * Probes the candidates in order and returns the first whose OpenAPI document is found and
     * lists every path it needs.
     *
     * @throws GatewayUnsupportedException when a document is found but lacks paths (naming each
     *     missing one), or no candidate's document is found
     * @throws IOException when the gateway cannot be reached or answers garbage
     */
    public static Gateway select(GatewayHttp http, List<Gateway> candidates) throws IOException {
        List<String> tried = new ArrayList<>();
        for (Gateway candidate : candidates) {
            GatewayHttp.Answer answer = http.get(candidate.openApiPath(), Map.of());
            if (answer.status() == 404) {
                tried.add(candidate.openApiPath() + " (" + candidate.kind() + ")");
                continue;
            }
            if (!answer.ok()) {
                throw new GatewayStatusException("GET " + candidate.openApiPath() + " answered " + answer.status()
                        + " while probing the gateway at " + http.base(), answer.status());
            }
            JsonNode paths = answer.json() == null ? null : answer.json().path("paths");
            if (paths == null || !paths.isObject()) {
                throw new IOException("GET " + candidate.openApiPath() + " answered with something that is not an"
                        + " OpenAPI document (no 'paths' object)");
            }
            List<String> missing = new ArrayList<>();
            for (String required : candidate.requiredPaths()) {
                if (!lists(paths, required)) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                throw new GatewayUnsupportedException("this gateway does not support pointers: the " + candidate.kind()
                        + " gateway at " + http.base() + " has no " + String.join(" and no ", missing)
                        + " in its OpenAPI document; " + UPGRADE_HINT);
            }
            return candidate;
        }
        String kinds = candidates.size() == 1 ? "not " + candidates.get(0).kind() : "neither AntTP nor dweb";
        throw new GatewayUnsupportedException("the gateway at " + http.base() + " serves no OpenAPI document at "
                + String.join(" or ", tried) + ", so it is " + kinds + "; " + UPGRADE_HINT);
    }

    private static boolean lists(JsonNode paths, String prefix) {
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String p = it.next();
            if (p.equals(prefix) || p.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
