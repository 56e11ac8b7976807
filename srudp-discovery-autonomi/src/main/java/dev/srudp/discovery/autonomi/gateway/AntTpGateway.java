package dev.srudp.discovery.autonomi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AntTP's REST API for mutable types, as it exists from v0.24.4 to v0.25.33 (legacy network;
 * removed in v0.26.0, which is built for Autonomi 2.0). Facts from the research note
 * {@code autonomi-gateways.md} §2.1 and its appendix.
 *
 * <p>Owner keys stay in the gateway: "The key is always {@code register_key_from_name(app_private_key,
 * name)}. There is no {@code x-data-key} for scratchpads, so the gateway owns the key." Pointers use
 * the same default ({@code personal}) root key, so one AntTP per peer, started with {@code -a}, owns
 * both objects.
 *
 * <p>Writes are asynchronous: "A POST/PUT puts the new value into this gateway's own read cache at
 * once ... and queues a command; the network changes only when the command has run."
 */
public final class AntTpGateway implements Gateway {
    static final String API = "/anttp-0";
    /** AntTP's {@code --cached-mutable-ttl} default: 5 s. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);
    /** AntTP caches a missing pointer for 50 s. */
    public static final Duration NOT_FOUND_TTL = Duration.ofSeconds(50);

    private final GatewayHttp http;
    private final Duration cacheTtl;

    public AntTpGateway(GatewayHttp http, Duration cacheTtl) {
        this.http = http;
        this.cacheTtl = cacheTtl;
    }

    @Override
    public String kind() {
        return "AntTP";
    }

    @Override
    public String openApiPath() {
        return "/api-docs/openapi.json";
    }

    @Override
    public List<String> requiredPaths() {
        return List.of(API + "/pointer", API + "/public_scratchpad");
    }

    @Override
    public boolean writesAreSynchronous() {
        return false;
    }

    @Override
    public Duration cacheTtl() {
        // "Cache expiry is in whole seconds: with TTL 5 an entry is fresh for 5 to 6 s."
        return cacheTtl.plusSeconds(1);
    }

    @Override
    public Duration notFoundTtl() {
        return NOT_FOUND_TTL;
    }

    @Override
    public Optional<PointerValue> findOwnPointer(String name) throws IOException {
        // "read | GET /anttp-0/pointer/{address-or-name}": a name resolves under the personal key.
        return readPointerAt(API + "/pointer/" + Paths.segment(name));
    }

    @Override
    public String createScratchpad(String name, byte[] content) throws IOException {
        ObjectNode body = GatewayHttp.mapper().createObjectNode()
                .put("name", name)
                .put("content", Base64.getEncoder().encodeToString(content));
        GatewayHttp.Answer answer = http.send("POST", API + "/public_scratchpad", Map.of(), body);
        expect(answer, "POST " + API + "/public_scratchpad", 200, 201);
        return Hex.address(answer.json().path("address"), "POST " + API + "/public_scratchpad");
    }

    @Override
    public void updateScratchpad(String address, String name, byte[] content, long counter) throws IOException {
        // AntTP picks the network counter itself; the body has only the content.
        String path = API + "/public_scratchpad/" + Hex.checked(address) + "/" + Paths.segment(name);
        ObjectNode body = GatewayHttp.mapper().createObjectNode()
                .put("content", Base64.getEncoder().encodeToString(content));
        // Only the status matters: the answer's body is not needed (and not relied on).
        expectStatus(http.send("PUT", path, Map.of(), body), "PUT " + path, 200, 201);
    }

    @Override
    public String createPointer(String name, String scratchpadAddress) throws IOException {
        // "content with 64 hex chars becomes a ChunkAddress target; anything else is parsed as a
        // PointerAddress": a scratchpad's 96-hex key round-trips unchanged.
        ObjectNode body = GatewayHttp.mapper().createObjectNode()
                .put("name", name)
                .put("content", Hex.checked(scratchpadAddress));
        GatewayHttp.Answer answer = http.send("POST", API + "/pointer", Map.of(), body);
        expect(answer, "POST " + API + "/pointer", 201, 200);
        return Hex.address(answer.json().path("address"), "POST " + API + "/pointer");
    }

    @Override
    public Optional<PointerValue> readPointer(String pointerAddress) throws IOException {
        return readPointerAt(API + "/pointer/" + Hex.checked(pointerAddress));
    }

    private Optional<PointerValue> readPointerAt(String path) throws IOException {
        GatewayHttp.Answer answer = http.get(path, Map.of());
        if (answer.status() == 404) {
            return Optional.empty();
        }
        expect(answer, "GET " + path, 200);
        JsonNode json = answer.json();
        return Optional.of(new PointerValue(
                Hex.address(json.path("address"), "GET " + path),
                Hex.address(json.path("content"), "GET " + path),
                Numbers.counter(json.path("counter"), "GET " + path)));
    }

    @Override
    public Optional<ScratchpadValue> readScratchpad(String scratchpadAddress) throws IOException {
        String path = API + "/public_scratchpad/" + Hex.checked(scratchpadAddress);
        GatewayHttp.Answer answer = http.get(path, Map.of());
        if (answer.status() == 404) {
            return Optional.empty();
        }
        expect(answer, "GET " + path, 200);
        JsonNode content = answer.json().path("content");
        if (!content.isTextual()) {
            throw new IOException("GET " + path + " answered without a base64 'content'");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(content.asText());
        } catch (IllegalArgumentException e) {
            throw new IOException("GET " + path + " answered with 'content' that is not base64");
        }
        return Optional.of(new ScratchpadValue(bytes, Numbers.counter(answer.json().path("counter"), "GET " + path)));
    }

    /** Checks the status is one of {@code statuses} and the body a JSON object. */
    static void expect(GatewayHttp.Answer answer, String what, int... statuses) throws IOException {
        expectStatus(answer, what, statuses);
        if (answer.json() == null || !answer.json().isObject()) {
            throw new IOException(what + " answered " + answer.status() + " without a JSON object");
        }
    }

    /** Checks the status is one of {@code statuses}. */
    static void expectStatus(GatewayHttp.Answer answer, String what, int... statuses) throws IOException {
        for (int s : statuses) {
            if (answer.status() == s) {
                return;
            }
        }
        throw new GatewayStatusException(what + " answered " + answer.status(), answer.status());
    }
}
