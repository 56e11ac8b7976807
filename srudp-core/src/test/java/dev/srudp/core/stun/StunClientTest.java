package dev.srudp.core.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Binding client alone, sans I/O: what it sends, what responses it takes. */
class StunClientTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.2", 5000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("203.0.113.1", 3478);
    private static final InetSocketAddress MAPPED = new InetSocketAddress("198.51.100.7", 40123);

    private final List<byte[]> sent = new ArrayList<>();
    private final List<BindingResult> results = new ArrayList<>();
    private final StunClient client = new StunClient((local, remote, bytes) -> sent.add(bytes), new Random(1),
            "srudp");

    private StunMessage request() throws StunFormatException {
        return StunMessage.decode(ByteBuffer.wrap(sent.get(sent.size() - 1)));
    }

    private StunMessage response(List<StunAttribute> attributes) throws StunFormatException {
        return new StunMessage(StunMessage.METHOD_BINDING, StunMessage.MessageClass.SUCCESS_RESPONSE,
                request().transactionId(), attributes, true);
    }

    @Test
    void takesWhatCoturnSendsIncludingRfc3489AndRfc5780Attributes() throws Exception {
        client.binding(0, LOCAL, SERVER, 0, results::add);
        StunMessage r = request();
        assertEquals(StunMessage.MessageClass.REQUEST, r.messageClass());
        assertTrue(r.fingerprinted());
        InetSocketAddress other = new InetSocketAddress("203.0.113.2", 3479);
        byte[] id = r.transactionId();
        StunMessage coturnLike = response(List.of(
                StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS, MAPPED, id),
                StunAttributes.address(StunAttributes.MAPPED_ADDRESS, MAPPED),
                StunAttributes.address(StunAttributes.RESPONSE_ORIGIN, SERVER),
                StunAttributes.address(StunAttributes.OTHER_ADDRESS, other),
                StunAttributes.address(0x0005, other),
                StunAttributes.software("Coturn-4.6.1 'Gorst'")));
        assertNull(client.onResponse(2_000_000, LOCAL, SERVER, StunMessage.decode(ByteBuffer.wrap(coturnLike.encode()))));
        BindingResult result = results.get(0);
        assertTrue(result.succeeded(), result.toString());
        assertEquals(MAPPED, result.mapped());
        assertEquals(SERVER, result.responseOrigin());
        assertEquals(other, result.otherAddress());
        assertEquals(2_000_000, result.rttNanos());
        assertEquals(0, client.inProgress());
    }

    @Test
    void acceptsMappedAddressAloneFromAnOldServer() throws Exception {
        client.binding(0, LOCAL, SERVER, 0, results::add);
        client.onResponse(1, LOCAL, SERVER, response(List.of(StunAttributes.address(StunAttributes.MAPPED_ADDRESS,
                MAPPED))));
        assertEquals(MAPPED, results.get(0).mapped());
    }

    @Test
    void anUnknownComprehensionRequiredAttributeFailsTheTransaction() throws Exception {
        client.binding(0, LOCAL, SERVER, 0, results::add);
        client.onResponse(1, LOCAL, SERVER, response(List.of(
                StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS, MAPPED, request().transactionId()),
                new StunAttribute(0x0030, new byte[4]))));
        assertFalse(results.get(0).succeeded());
        assertTrue(results.get(0).failure().contains("attribute 0x0030"), results.get(0).failure());
    }

    @Test
    void aResponseFromElsewhereOrOnAnotherSocketIsNotTaken() throws Exception {
        client.binding(0, LOCAL, SERVER, 0, results::add);
        StunMessage ok = response(List.of(StunAttributes.xorAddress(StunAttributes.XOR_MAPPED_ADDRESS, MAPPED,
                request().transactionId())));
        assertNotNull(client.onResponse(1, LOCAL, new InetSocketAddress("203.0.113.1", 3479), ok));
        assertNotNull(client.onResponse(1, new InetSocketAddress("10.0.0.2", 5001), SERVER, ok));
        assertEquals(List.of(), results);
        assertNull(client.onResponse(1, LOCAL, SERVER, ok));
        assertNotNull(client.onResponse(2, LOCAL, SERVER, ok), "a duplicate answer finds no transaction");
        assertEquals(1, results.size());
    }

    @Test
    void retransmitsOnTheBoundedScheduleThenFails() {
        client.binding(0, LOCAL, SERVER, 0, results::add);
        List<Long> times = new ArrayList<>(List.of(0L));
        for (long now = 0; results.isEmpty(); now = client.nextTimeoutNanos()) {
            int before = sent.size();
            client.onTimeout(now);
            if (sent.size() > before) {
                times.add(now);
            }
        }
        assertEquals(List.of(0L, 500_000_000L, 1_500_000_000L, 3_500_000_000L), times);
        assertEquals(4, sent.size());
        assertFalse(results.get(0).succeeded());
        assertEquals(Long.MAX_VALUE, client.nextTimeoutNanos());
    }

    @Test
    void anErrorResponseFailsWithItsCode() throws Exception {
        client.binding(0, LOCAL, SERVER, StunAttributes.CHANGE_PORT, results::add);
        assertEquals(StunAttributes.CHANGE_PORT, StunAttributes.decodeChangeRequest(
                request().attribute(StunAttributes.CHANGE_REQUEST).orElseThrow()));
        StunMessage error = new StunMessage(StunMessage.METHOD_BINDING, StunMessage.MessageClass.ERROR_RESPONSE,
                request().transactionId(), List.of(StunAttributes.errorCode(420, "Unknown Attribute"),
                        StunAttributes.unknownAttributes(List.of(StunAttributes.CHANGE_REQUEST))), true);
        // with change flags the answer may come from anywhere: the transaction ID alone matches it
        assertNull(client.onResponse(1, LOCAL, new InetSocketAddress("203.0.113.9", 1), error));
        assertEquals(420, results.get(0).errorCode());
    }
}
