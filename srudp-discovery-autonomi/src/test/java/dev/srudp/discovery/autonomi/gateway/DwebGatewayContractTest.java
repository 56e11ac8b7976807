package dev.srudp.discovery.autonomi.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests and answers of dweb 0.13's REST API, as the research note records them (§2.3). */
class DwebGatewayContractTest {
    static final String PAD = "a1".repeat(48);
    static final String PTR = "b2".repeat(48);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MUTATE_RESULT = "{\"dweb_type\":\"%s\",\"rest_operation\":\"%s\",\"status_code\":%d,"
            + "\"status_message\":\"success\",\"cost_in_ant\":\"0.0001\",\"cost_in_arb_eth\":\"0.00002\",\"file_name\":\"\","
            + "\"full_path\":\"\",\"object_name\":\"slot\",\"network_address\":\"%s\",\"data_map\":\"\"}";

    private final MockWebServer server = new MockWebServer();
    private final GatewayHttp http;
    private final OwnerSecret secret = OwnerSecret.fromSecret("a test secret of enough length".getBytes(StandardCharsets.UTF_8));
    private final DwebGateway gateway;

    DwebGatewayContractTest() throws IOException {
        server.start();
        http = new GatewayHttp(URI.create(server.url("/").toString()), Duration.ofMillis(300), 4 * 1024 * 1024 + 65536);
        gateway = new DwebGateway(http, secret);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private void answer(int code, String body, String type) {
        server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", type).body(body).build());
    }

    private RecordedRequest taken() throws InterruptedException {
        return server.takeRequest(1, TimeUnit.SECONDS);
    }

    private static JsonNode body(RecordedRequest r) throws IOException {
        return JSON.readTree(r.getBody().utf8());
    }

    private void assertOwnerHeaders(RecordedRequest r, String name) {
        assertEquals(secret.hex().orElseThrow(), r.getHeaders().get("Ant-Owner-Secret"));
        assertEquals("srudp", r.getHeaders().get("Ant-App-ID"));
        assertEquals(name, r.getHeaders().get("Ant-Object-Name"));
    }

    @Test
    void createsAPublicScratchpadWithEveryFieldAndTheBytesAsANumberArray() throws Exception {
        answer(201, MUTATE_RESULT.formatted("PublicScratchpad", "POST", 201, PAD), "application/json");
        assertEquals(PAD, gateway.createScratchpad("slot", new byte[] {1, (byte) 200}));
        RecordedRequest r = taken();
        assertEquals("POST", r.getMethod());
        assertEquals("/dweb-0/scratchpad-public", r.getUrl().encodedPath());
        assertOwnerHeaders(r, "slot");
        assertEquals(JSON.readTree("{\"dweb_type\":\"PublicScratchpad\",\"scratchpad_address\":\"\",\"data_encoding\":"
                + DwebGateway.DATA_ENCODING + ",\"encrypted_data\":[],\"unencrypted_data\":[1,200],\"counter\":0}"), body(r));
    }

    @Test
    void updatesTheOwnedScratchpadWithTheCounterTheClientChose() throws Exception {
        answer(200, MUTATE_RESULT.formatted("PublicScratchpad", "PUT", 200, PAD), "application/json");
        gateway.updateScratchpad(PAD, "slot", new byte[] {9}, 1_790_000_000_123L);
        RecordedRequest r = taken();
        assertEquals("PUT", r.getMethod());
        assertEquals("/dweb-0/scratchpad-public", r.getUrl().encodedPath());
        assertOwnerHeaders(r, "slot");
        assertEquals(1_790_000_000_123L, body(r).path("counter").asLong());
        assertEquals(JSON.readTree("[9]"), body(r).path("unencrypted_data"));
    }

    @Test
    void anOutdatedCounterAnswered502WithAnHtmlPageIsATransientFailure() {
        answer(502, "<html><body>Outdated record counter</body></html>", "text/html");
        GatewayStatusException e = assertThrows(GatewayStatusException.class,
                () -> gateway.updateScratchpad(PAD, "slot", new byte[] {9}, 1));
        assertEquals(502, e.status());
        assertTrue(e.transientFailure());
        assertFalse(e.getMessage().contains(secret.hex().orElseThrow()), "no owner key in messages");
    }

    @Test
    void createsAPointerWithAnExplicitScratchpadTargetAndTheOtherTargetsEmpty() throws Exception {
        answer(201, MUTATE_RESULT.formatted("Pointer", "POST", 201, PTR), "application/json");
        assertEquals(PTR, gateway.createPointer("slot-pointer", PAD));
        RecordedRequest r = taken();
        assertEquals("POST", r.getMethod());
        assertEquals("/dweb-0/pointer", r.getUrl().encodedPath());
        assertOwnerHeaders(r, "slot-pointer");
        assertEquals(JSON.readTree("{\"pointer_address\":\"\",\"counter\":0,\"chunk_target_address\":\"\","
                + "\"graphentry_target_address\":\"\",\"pointer_target_address\":\"\",\"scratchpad_target_address\":\""
                + PAD + "\"}"), body(r));
    }

    @Test
    void readsAPointerWhoseTargetComesBackInTheChunkField() throws Exception {
        answer(200, "{\"pointer_address\":\"" + PTR + "\",\"counter\":3,\"chunk_target_address\":\"" + PAD
                + "\",\"graphentry_target_address\":\"\",\"pointer_target_address\":\"\",\"scratchpad_target_address\":\"\"}",
                "application/json");
        assertEquals(new PointerValue(PTR, PAD, 3), gateway.readPointer(PTR).orElseThrow());
        RecordedRequest r = taken();
        assertEquals("GET", r.getMethod());
        assertEquals("/dweb-0/pointer/" + PTR, r.getUrl().encodedPath());
        assertNull(r.getHeaders().get("Ant-Owner-Secret"), "reads need no key, so none is sent");
    }

    @Test
    void findsItsOwnPointerThroughTheOwnerHeaders() throws Exception {
        answer(200, "{\"pointer_address\":\"" + PTR + "\",\"counter\":0,\"chunk_target_address\":\"" + PAD
                + "\",\"graphentry_target_address\":\"\",\"pointer_target_address\":\"\",\"scratchpad_target_address\":\"\"}",
                "application/json");
        assertEquals(PTR, gateway.findOwnPointer("slot-pointer").orElseThrow().address());
        RecordedRequest r = taken();
        assertEquals("/dweb-0/pointer", r.getUrl().encodedPath());
        assertOwnerHeaders(r, "slot-pointer");
    }

    @Test
    void readsAPublicScratchpadsUnencryptedBytes() throws Exception {
        answer(200, "{\"dweb_type\":\"PublicScratchpad\",\"scratchpad_address\":\"" + PAD + "\",\"data_encoding\":1,"
                + "\"encrypted_data\":[],\"unencrypted_data\":[114,101,99],\"counter\":5}", "application/json");
        ScratchpadValue v = gateway.readScratchpad(PAD).orElseThrow();
        assertArrayEquals("rec".getBytes(StandardCharsets.UTF_8), v.content());
        assertEquals(5, v.counter());
        assertEquals("/dweb-0/scratchpad-public/" + PAD, taken().getUrl().encodedPath());
    }

    @Test
    void notFoundIsAnHtml404AndReadsAsEmpty() throws Exception {
        answer(404, "<html><body>Not found</body></html>", "text/html");
        answer(404, "<html><body>Not found</body></html>", "text/html");
        assertTrue(gateway.readPointer(PTR).isEmpty());
        assertTrue(gateway.readScratchpad(PAD).isEmpty());
    }

    @Test
    void aBadRequestIsAPermanentStatusFailure() {
        answer(400, "<html><body>Bad request</body></html>", "text/html");
        GatewayStatusException e = assertThrows(GatewayStatusException.class, () -> gateway.createPointer("slot", PAD));
        assertEquals(400, e.status());
        assertFalse(e.transientFailure());
    }

    @Test
    void byteArraysWithValuesOutsideAByteAreRefused() {
        answer(200, "{\"dweb_type\":\"PublicScratchpad\",\"scratchpad_address\":\"" + PAD + "\",\"data_encoding\":1,"
                + "\"encrypted_data\":[],\"unencrypted_data\":[1,256],\"counter\":5}", "application/json");
        assertThrows(IOException.class, () -> gateway.readScratchpad(PAD));
    }

    @Test
    void withoutAnOwnerSecretTheGatewaysOwnKeyIsUsed() throws Exception {
        DwebGateway serverKeyed = new DwebGateway(http, OwnerSecret.NONE);
        answer(201, MUTATE_RESULT.formatted("Pointer", "POST", 201, PTR), "application/json");
        serverKeyed.createPointer("slot-pointer", PAD);
        assertNull(taken().getHeaders().get("Ant-Owner-Secret"));
    }

    @Test
    void writesAreSynchronousAndThereIsNoReadCache() {
        assertTrue(gateway.writesAreSynchronous());
        assertEquals(Duration.ZERO, gateway.cacheTtl());
        assertEquals("/api/openapi.json", gateway.openApiPath());
    }
}
