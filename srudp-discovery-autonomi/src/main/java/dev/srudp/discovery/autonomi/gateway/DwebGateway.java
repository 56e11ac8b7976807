package dev.srudp.discovery.autonomi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dweb's REST API ({@code dweb serve}, v0.13.x, legacy network). Facts from the research note
 * {@code autonomi-gateways.md} §2.3 and its appendix.
 *
 * <p>"Writes are synchronous (the reply comes after the network write); there is no read cache."
 * "Scratchpad PUT writes the counter given in the request body (it does not read and add one): the
 * client must send a strictly larger counter, or gets 502." "Bodies must have every field present;
 * bytes are JSON arrays of numbers; error answers are HTML pages with 400/404/502."
 *
 * <p>The owner key may come from the client: "{@code Ant-Owner-Secret: <hex BLS sk>} overrides the
 * server key". {@code Ant-App-ID} and {@code Ant-Object-Name} add derivation steps, so one owner
 * secret gives this directory its own pointer and scratchpad.
 */
public final class DwebGateway implements Gateway {
    static final String API = "/dweb-0";
    /** The {@code data_encoding} this directory writes; the value is ours, the network ignores it. */
    static final long DATA_ENCODING = 0x73727564L; // "srud"
    static final String APP_ID = "srudp";

    private final GatewayHttp http;
    private final OwnerSecret ownerSecret;

    /** @param ownerSecret the client-supplied owner key, or {@link OwnerSecret#NONE} for dweb's own */
    public DwebGateway(GatewayHttp http, OwnerSecret ownerSecret) {
        this.http = http;
        this.ownerSecret = ownerSecret;
    }

    @Override
    public String kind() {
        return "dweb";
    }

    @Override
    public String openApiPath() {
        return "/api/openapi.json";
    }

    @Override
    public List<String> requiredPaths() {
        return List.of(API + "/pointer", API + "/scratchpad-public");
    }

    @Override
    public boolean writesAreSynchronous() {
        return true;
    }

    @Override
    public Duration cacheTtl() {
        return Duration.ZERO;
    }

    @Override
    public Duration notFoundTtl() {
        return Duration.ZERO;
    }

    private Map<String, String> ownerHeaders(String name) {
        Map<String, String> headers = new LinkedHashMap<>();
        ownerSecret.hex().ifPresent(hex -> headers.put("Ant-Owner-Secret", hex));
        headers.put("Ant-App-ID", APP_ID);
        headers.put("Ant-Object-Name", Paths.segment(name));
        return headers;
    }

    @Override
    public Optional<PointerValue> findOwnPointer(String name) throws IOException {
        return readPointerAt(API + "/pointer", ownerHeaders(name));
    }

    @Override
    public String createScratchpad(String name, byte[] content) throws IOException {
        String path = API + "/scratchpad-public";
        GatewayHttp.Answer answer = http.send("POST", path, ownerHeaders(name), scratchpadBody(content, 0));
        AntTpGateway.expect(answer, "POST " + path, 201, 200);
        return Hex.address(answer.json().path("network_address"), "POST " + path);
    }

    @Override
    public void updateScratchpad(String address, String name, byte[] content, long counter) throws IOException {
        // The owner key (from the headers) decides which scratchpad is written.
        String path = API + "/scratchpad-public";
        GatewayHttp.Answer answer = http.send("PUT", path, ownerHeaders(name), scratchpadBody(content, counter));
        AntTpGateway.expectStatus(answer, "PUT " + path, 200, 201);
    }

    private static ObjectNode scratchpadBody(byte[] content, long counter) {
        ObjectNode body = GatewayHttp.mapper().createObjectNode()
                .put("dweb_type", "PublicScratchpad")
                .put("scratchpad_address", "")
                .put("data_encoding", DATA_ENCODING);
        body.putArray("encrypted_data");
        ArrayNode data = body.putArray("unencrypted_data");
        for (byte b : content) {
            data.add(b & 0xff);
        }
        body.put("counter", counter);
        return body;
    }

    @Override
    public String createPointer(String name, String scratchpadAddress) throws IOException {
        // "Exactly one target may be non-empty; the others must be ''. Scratchpad targets are
        // supported explicitly."
        ObjectNode body = GatewayHttp.mapper().createObjectNode()
                .put("pointer_address", "")
                .put("counter", 0)
                .put("chunk_target_address", "")
                .put("graphentry_target_address", "")
                .put("pointer_target_address", "")
                .put("scratchpad_target_address", Hex.checked(scratchpadAddress));
        String path = API + "/pointer";
        GatewayHttp.Answer answer = http.send("POST", path, ownerHeaders(name), body);
        AntTpGateway.expect(answer, "POST " + path, 201, 200);
        return Hex.address(answer.json().path("network_address"), "POST " + path);
    }

    @Override
    public Optional<PointerValue> readPointer(String pointerAddress) throws IOException {
        return readPointerAt(API + "/pointer/" + Hex.checked(pointerAddress), Map.of());
    }

    private Optional<PointerValue> readPointerAt(String path, Map<String, String> headers) throws IOException {
        GatewayHttp.Answer answer = http.get(path, headers);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        AntTpGateway.expect(answer, "GET " + path, 200);
        JsonNode json = answer.json();
        // Quirk: "GET returns the target hex in chunk_target_address, whatever its type." The other
        // fields are read too, in case a version fills the one that matches the type.
        String target = null;
        for (String field : List.of("chunk_target_address", "scratchpad_target_address", "pointer_target_address")) {
            String value = json.path(field).asText("");
            if (!value.isEmpty()) {
                target = value;
                break;
            }
        }
        return Optional.of(new PointerValue(
                Hex.address(json.path("pointer_address"), "GET " + path),
                Hex.address(target == null ? GatewayHttp.mapper().nullNode() : com.fasterxml.jackson.databind.node.TextNode.valueOf(target), "GET " + path),
                Numbers.counter(json.path("counter"), "GET " + path)));
    }

    @Override
    public Optional<ScratchpadValue> readScratchpad(String scratchpadAddress) throws IOException {
        String path = API + "/scratchpad-public/" + Hex.checked(scratchpadAddress);
        GatewayHttp.Answer answer = http.get(path, Map.of());
        if (answer.status() == 404) {
            return Optional.empty();
        }
        AntTpGateway.expect(answer, "GET " + path, 200);
        JsonNode json = answer.json();
        // A public scratchpad stores its bytes unencrypted; dweb reports them in unencrypted_data
        // and, for a public scratchpad, the same bytes may be in encrypted_data.
        JsonNode data = json.path("unencrypted_data");
        if (!data.isArray() || data.isEmpty()) {
            data = json.path("encrypted_data");
        }
        return Optional.of(new ScratchpadValue(bytes(data, "GET " + path), Numbers.counter(json.path("counter"), "GET " + path)));
    }

    private static byte[] bytes(JsonNode array, String what) throws IOException {
        if (!array.isArray()) {
            throw new IOException(what + " answered without a byte array");
        }
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isIntegralNumber() || n.asInt(-1) < 0 || n.asInt(-1) > 255) {
                throw new IOException(what + " answered with a byte array holding something other than 0..255");
            }
            out[i] = (byte) n.asInt();
        }
        return out;
    }
}
