package dev.srudp.discovery.autonomi.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests and answers of AntTP v0.25's REST API, as the research note records them (§2.1). */
class AntTpGatewayContractTest {
    static final String PAD = "a1".repeat(48);
    static final String PTR = "b2".repeat(48);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final GatewayHttp http;
    private final AntTpGateway gateway;

    AntTpGatewayContractTest() throws IOException {
        server.start();
        http = new GatewayHttp(URI.create(server.url("/").toString()), Duration.ofMillis(300), 4 * 1024 * 1024 + 65536);
        gateway = new AntTpGateway(http, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
    }

    private RecordedRequest taken() throws InterruptedException {
        return server.takeRequest(1, TimeUnit.SECONDS);
    }

    private static JsonNode body(RecordedRequest r) throws IOException {
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void createsAPublicScratchpadWithANameAndBase64ContentAndReadsTheAddressFromThe200Answer() throws Exception {
        answer(200, "{\"name\":\"slot\",\"address\":\"" + PAD + "\",\"data_encoding\":null,\"signature\":null,"
                + "\"content\":\"AQID\",\"counter\":null}");
        assertEquals(PAD, gateway.createScratchpad("slot", new byte[] {1, 2, 3}));
        RecordedRequest r = taken();
        assertEquals("POST", r.getMethod());
        assertEquals("/anttp-0/public_scratchpad", r.getUrl().encodedPath());
        assertEquals("application/json", r.getHeaders().get("Content-Type"));
        assertEquals(JSON.readTree("{\"name\":\"slot\",\"content\":\"AQID\"}"), body(r));
        assertNull(r.getHeaders().get("x-store-type"), "the default store type is the network");
    }

    @Test
    void updatesAScratchpadByAddressAndNameWithOnlyTheContentInTheBody() throws Exception {
        answer(200, "{\"name\":null,\"address\":\"" + PAD + "\",\"data_encoding\":1,\"signature\":null,"
                + "\"content\":\"BAU=\",\"counter\":4}");
        gateway.updateScratchpad(PAD, "slot", new byte[] {4, 5}, 99);
        RecordedRequest r = taken();
        assertEquals("PUT", r.getMethod());
        assertEquals("/anttp-0/public_scratchpad/" + PAD + "/slot", r.getUrl().encodedPath());
        assertEquals(JSON.readTree("{\"content\":\"BAU=\"}"), body(r));
    }

    @Test
    void aScratchpadUpdateAnswered200WithAnEmptyBodyIsAccepted() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        gateway.updateScratchpad(PAD, "slot", new byte[] {1}, 1);
        assertEquals("PUT", taken().getMethod());
    }

    @Test
    void aScratchpadUpdateRefusedWith400IsAStatusFailureThatRetryingWillNotFix() throws Exception {
        answer(400, "{\"UpdateError\":\"address does not match name\"}");
        GatewayStatusException e = assertThrows(GatewayStatusException.class,
                () -> gateway.updateScratchpad(PAD, "slot", new byte[] {1}, 1));
        assertEquals(400, e.status());
        assertTrue(!e.transientFailure());
    }

    @Test
    void createsAPointerWhoseContentIsTheScratchpadAddressAndReadsTheAddressFromThe201Answer() throws Exception {
        answer(201, "{\"name\":\"slot-pointer\",\"content\":\"" + PAD + "\",\"address\":\"" + PTR
                + "\",\"counter\":null,\"cost\":null}");
        assertEquals(PTR, gateway.createPointer("slot-pointer", PAD));
        RecordedRequest r = taken();
        assertEquals("POST", r.getMethod());
        assertEquals("/anttp-0/pointer", r.getUrl().encodedPath());
        assertEquals(JSON.readTree("{\"name\":\"slot-pointer\",\"content\":\"" + PAD + "\"}"), body(r));
        assertNull(r.getHeaders().get("x-data-key"), "the personal key, which also owns the scratchpad");
    }

    @Test
    void readsAPointerByAddressAndItsOwnPointerByName() throws Exception {
        String pointer = "{\"name\":null,\"content\":\"" + PAD + "\",\"address\":\"" + PTR + "\",\"counter\":7,\"cost\":null}";
        answer(200, pointer);
        answer(200, pointer);
        assertEquals(new PointerValue(PTR, PAD, 7), gateway.readPointer(PTR).orElseThrow());
        assertEquals("/anttp-0/pointer/" + PTR, taken().getUrl().encodedPath());
        assertEquals(new PointerValue(PTR, PAD, 7), gateway.findOwnPointer("slot-pointer").orElseThrow());
        RecordedRequest r = taken();
        assertEquals("GET", r.getMethod());
        assertEquals("/anttp-0/pointer/slot-pointer", r.getUrl().encodedPath());
    }

    @Test
    void aPointerOrScratchpadThatIsNotThereIsEmptyOn404() throws Exception {
        answer(404, "{\"GetError\":{\"RecordNotFound\":\"Pointer not found\"}}");
        answer(404, "{\"GetError\":{\"RecordNotFound\":\"Scratchpad not found\"}}");
        assertTrue(gateway.readPointer(PTR).isEmpty());
        assertTrue(gateway.readScratchpad(PAD).isEmpty());
    }

    @Test
    void readsAScratchpadsBase64ContentAndCounter() throws Exception {
        answer(200, "{\"name\":null,\"address\":\"" + PAD + "\",\"data_encoding\":1,\"signature\":\"c2ln\","
                + "\"content\":\"" + Base64.getEncoder().encodeToString("rec".getBytes(StandardCharsets.UTF_8))
                + "\",\"counter\":12}");
        ScratchpadValue v = gateway.readScratchpad(PAD).orElseThrow();
        assertArrayEquals("rec".getBytes(StandardCharsets.UTF_8), v.content());
        assertEquals(12, v.counter());
        RecordedRequest r = taken();
        assertEquals("GET", r.getMethod());
        assertEquals("/anttp-0/public_scratchpad/" + PAD, r.getUrl().encodedPath());
    }

    @Test
    void a502IsATransientStatusFailure() {
        answer(502, "{\"GetError\":{\"Network\":\"timeout\"}}");
        GatewayStatusException e = assertThrows(GatewayStatusException.class, () -> gateway.readScratchpad(PAD));
        assertEquals(502, e.status());
        assertTrue(e.transientFailure());
    }

    @Test
    void garbageAnswersAreIoFailuresNotCrashes() {
        answer(200, "<html>not json</html>");
        answer(200, "{\"address\":\"" + PAD + "\",\"content\":\"@@not base64@@\",\"counter\":1}");
        answer(200, "{\"address\":\"" + PAD + "\",\"content\":\"AA==\",\"counter\":-3}");
        answer(200, "{\"name\":null,\"content\":\"" + PAD + "\",\"address\":\"short\",\"counter\":1}");
        answer(200, "[1,2,3]");
        assertThrows(IOException.class, () -> gateway.readScratchpad(PAD));
        assertThrows(IOException.class, () -> gateway.readScratchpad(PAD));
        assertThrows(IOException.class, () -> gateway.readScratchpad(PAD));
        assertThrows(IOException.class, () -> gateway.readPointer(PTR));
        assertThrows(IOException.class, () -> gateway.readPointer(PTR));
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefused() {
        answer(200, "{\"content\":\"" + "A".repeat(4 * 1024 * 1024 + 70_000) + "\",\"counter\":1}");
        IOException e = assertThrows(IOException.class, () -> gateway.readScratchpad(PAD));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void aHangingAnswerTimesOut() {
        server.enqueue(new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build());
        IOException e = assertThrows(IOException.class, () -> gateway.readScratchpad(PAD));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void reportsItsCacheAsTheTtlRoundedUpToWholeSecondsAndItsWritesAsAsynchronous() {
        assertEquals(Duration.ofSeconds(6), gateway.cacheTtl());
        assertEquals(Duration.ofSeconds(50), gateway.notFoundTtl());
        assertTrue(!gateway.writesAreSynchronous());
        assertInstanceOf(String.class, gateway.openApiPath());
        assertEquals("/api-docs/openapi.json", gateway.openApiPath());
    }
}
