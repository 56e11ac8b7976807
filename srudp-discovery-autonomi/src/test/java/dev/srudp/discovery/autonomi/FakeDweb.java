package dev.srudp.discovery.autonomi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A dweb 0.13 server in a test (research note §2.3 and appendix): synchronous writes, no read
 * cache, the client's owner key from {@code Ant-Owner-Secret} (or the server's own), the counter a
 * scratchpad PUT carries written as given and refused with an HTML 502 unless larger, bodies with
 * every field present and bytes as arrays of numbers.
 */
final class FakeDweb extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeNetwork network;
    private final String serverKey;
    final List<String> requests = new ArrayList<>();
    /** Every owner key a request carried, to check where the key goes. */
    final List<String> ownerSecretsSeen = new ArrayList<>();

    FakeDweb(FakeNetwork network, String serverKey) {
        this.network = network;
        this.serverKey = serverKey;
    }

    String ownerFor(RecordedRequest r) {
        String secret = r.getHeaders().get("Ant-Owner-Secret");
        if (secret != null) {
            ownerSecretsSeen.add(secret);
        }
        return (secret == null ? serverKey : secret) + "/" + r.getHeaders().get("Ant-App-ID");
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        String path = request.getUrl().encodedPath();
        requests.add(method + " " + path);
        try {
            return route(method, path, request);
        } catch (IOException | RuntimeException e) {
            return html(400, "Bad Request");
        }
    }

    private MockResponse route(String method, String path, RecordedRequest request) throws IOException {
        if (method.equals("GET") && path.equals("/api/openapi.json")) {
            return json(200, "{\"openapi\":\"3.0.3\",\"paths\":{\"/dweb-0/pointer\":{},\"/dweb-0/pointer/{address}\":{},"
                    + "\"/dweb-0/scratchpad-public\":{},\"/dweb-0/scratchpad-public/{address}\":{}}}");
        }
        if (path.equals("/api-docs/openapi.json")) {
            return html(404, "Not Found");
        }
        String name = request.getHeaders().get("Ant-Object-Name");
        if (path.equals("/dweb-0/scratchpad-public") && (method.equals("POST") || method.equals("PUT"))) {
            JsonNode body = JSON.readTree(request.getBody().utf8());
            for (String field : List.of("dweb_type", "scratchpad_address", "data_encoding", "encrypted_data",
                    "unencrypted_data", "counter")) {
                if (!body.has(field)) {
                    return html(400, "missing " + field);
                }
            }
            byte[] content = new byte[body.path("unencrypted_data").size()];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) body.path("unencrypted_data").get(i).asInt();
            }
            String address = FakeNetwork.address(ownerFor(request), "scratchpad", name);
            if (method.equals("POST")) {
                if (!network.createPad(address, content)) {
                    return html(502, "Scratchpad already exists");
                }
                return json(201, mutateResult("PublicScratchpad", "POST", 201, address));
            }
            if (!network.putPad(address, content, body.path("counter").asLong())) {
                return html(502, "Outdated record counter");
            }
            return json(200, mutateResult("PublicScratchpad", "PUT", 200, address));
        }
        if (path.equals("/dweb-0/pointer") && method.equals("POST")) {
            JsonNode body = JSON.readTree(request.getBody().utf8());
            String address = FakeNetwork.address(ownerFor(request), "pointer", name);
            if (!network.createPointer(address, body.path("scratchpad_target_address").asText())) {
                return html(502, "Pointer already exists");
            }
            return json(201, mutateResult("Pointer", "POST", 201, address));
        }
        if (path.equals("/dweb-0/pointer") && method.equals("GET")) {
            return pointer(FakeNetwork.address(ownerFor(request), "pointer", name));
        }
        if (path.startsWith("/dweb-0/pointer/") && method.equals("GET")) {
            return pointer(path.substring("/dweb-0/pointer/".length()));
        }
        if (path.startsWith("/dweb-0/scratchpad-public/") && method.equals("GET")) {
            String address = path.substring("/dweb-0/scratchpad-public/".length());
            return network.pad(address).map(p -> {
                ObjectNode n = JSON.createObjectNode().put("dweb_type", "PublicScratchpad").put("scratchpad_address", address)
                        .put("data_encoding", 1);
                n.putArray("encrypted_data");
                ArrayNode data = n.putArray("unencrypted_data");
                for (byte b : p.content()) {
                    data.add(b & 0xff);
                }
                n.put("counter", p.counter());
                return json(200, n.toString());
            }).orElseGet(() -> html(404, "Not Found"));
        }
        return html(404, "Not Found");
    }

    private MockResponse pointer(String address) {
        return network.pointer(address).map(p -> json(200, "{\"pointer_address\":\"" + address + "\",\"counter\":"
                + p.counter() + ",\"chunk_target_address\":\"" + p.target() + "\",\"graphentry_target_address\":\"\","
                + "\"pointer_target_address\":\"\",\"scratchpad_target_address\":\"\"}"))
                .orElseGet(() -> html(404, "Not Found"));
    }

    private static String mutateResult(String type, String op, int status, String address) {
        return "{\"dweb_type\":\"" + type + "\",\"rest_operation\":\"" + op + "\",\"status_code\":" + status
                + ",\"status_message\":\"ok\",\"cost_in_ant\":\"\",\"cost_in_arb_eth\":\"\",\"file_name\":\"\",\"full_path\":\"\","
                + "\"object_name\":\"\",\"network_address\":\"" + address + "\",\"data_map\":\"\"}";
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse html(int code, String text) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "text/html")
                .body("<html><body>" + text + "</body></html>").build();
    }
}
