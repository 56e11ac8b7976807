package dev.srudp.discovery.autonomi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.discovery.autonomi.GatewayUnsupportedException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayProbeTest {
    private final MockWebServer server = new MockWebServer();
    private final GatewayHttp http;
    private final AntTpGateway antTp;
    private final DwebGateway dweb;

    GatewayProbeTest() throws IOException {
        server.start();
        http = new GatewayHttp(URI.create(server.url("/").toString()), Duration.ofMillis(500), 1 << 20);
        antTp = new AntTpGateway(http, Duration.ofSeconds(5));
        dweb = new DwebGateway(http, OwnerSecret.NONE);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
    }

    @Test
    void anAntTpWithPointerAndScratchpadPathsIsChosen() throws Exception {
        answer(200, "{\"openapi\":\"3.1.0\",\"paths\":{\"/anttp-0/pointer\":{},\"/anttp-0/pointer/{address}\":{},"
                + "\"/anttp-0/public_scratchpad\":{},\"/anttp-0/public_scratchpad/{address}\":{}}}");
        assertSame(antTp, GatewayProbe.select(http, List.of(antTp, dweb)));
        assertEquals("/api-docs/openapi.json", server.takeRequest(1, TimeUnit.SECONDS).getUrl().encodedPath());
    }

    @Test
    void aDwebIsChosenWhenThereIsNoAntTpDocument() throws Exception {
        answer(404, "");
        answer(200, "{\"openapi\":\"3.0.3\",\"paths\":{\"/dweb-0/pointer\":{},\"/dweb-0/pointer/{address}\":{},"
                + "\"/dweb-0/scratchpad-public\":{},\"/dweb-0/scratchpad-public/{address}\":{}}}");
        assertSame(dweb, GatewayProbe.select(http, List.of(antTp, dweb)));
        server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("/api/openapi.json", server.takeRequest(1, TimeUnit.SECONDS).getUrl().encodedPath());
    }

    @Test
    void anAntTpBuiltForAutonomi2IsReportedAsNotSupportingPointersNamingEachMissingPath() {
        answer(200, "{\"openapi\":\"3.1.0\",\"paths\":{\"/anttp-0/chunk\":{},\"/anttp-0/binary/chunk/{address}\":{}}}");
        GatewayUnsupportedException e = assertThrows(GatewayUnsupportedException.class,
                () -> GatewayProbe.select(http, List.of(antTp, dweb)));
        assertTrue(e.getMessage().startsWith("this gateway does not support pointers"), e.getMessage());
        assertTrue(e.getMessage().contains("no /anttp-0/pointer and no /anttp-0/public_scratchpad"), e.getMessage());
    }

    @Test
    void aGatewayWithNeitherDocumentIsNamedAsNeitherAntTpNorDweb() {
        answer(404, "");
        answer(404, "");
        GatewayUnsupportedException e = assertThrows(GatewayUnsupportedException.class,
                () -> GatewayProbe.select(http, List.of(antTp, dweb)));
        assertTrue(e.getMessage().contains("neither AntTP nor dweb"), e.getMessage());
        assertTrue(e.getMessage().contains("/api-docs/openapi.json") && e.getMessage().contains("/api/openapi.json"),
                e.getMessage());
    }

    @Test
    void aDocumentThatIsNotOpenApiIsAnIoFailure() {
        answer(200, "{\"hello\":\"world\"}");
        IOException e = assertThrows(IOException.class, () -> GatewayProbe.select(http, List.of(antTp)));
        assertTrue(e.getMessage().contains("not an OpenAPI document"), e.getMessage());
    }

    @Test
    void aFailingGatewayIsAStatusFailureNotUnsupported() {
        answer(503, "");
        GatewayStatusException e = assertThrows(GatewayStatusException.class, () -> GatewayProbe.select(http, List.of(antTp)));
        assertEquals(503, e.status());
    }
}
