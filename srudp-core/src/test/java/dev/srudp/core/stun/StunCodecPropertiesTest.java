package dev.srudp.core.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Any byte string decodes or fails with {@link StunFormatException}; encoded messages read back. */
class StunCodecPropertiesTest {

    @Property(tries = 2000)
    void anyBytesDecodeOrFailWithAReason(@ForAll @Size(max = 200) byte[] bytes) {
        decodeOrReason(bytes);
    }

    @Property(tries = 2000)
    void mutatedValidMessagesDecodeOrFailWithAReason(@ForAll("messages") StunMessage m,
            @ForAll @Size(min = 1, max = 4) List<Integer> positions, @ForAll byte value) {
        byte[] bytes = m.encode();
        for (int p : positions) {
            bytes[Math.floorMod(p, bytes.length)] = value;
        }
        decodeOrReason(bytes);
        // truncations too: every prefix
        decodeOrReason(java.util.Arrays.copyOf(bytes, Math.floorMod(positions.get(0), bytes.length)));
    }

    @Property(tries = 500)
    void messagesRoundTrip(@ForAll("messages") StunMessage m) throws StunFormatException {
        assertEquals(m, StunMessage.decode(ByteBuffer.wrap(m.encode())));
    }

    @Property(tries = 500)
    void addressAttributesDecodeOrFailWithAReason(@ForAll @Size(max = 24) byte[] value) {
        StunAttribute a = new StunAttribute(StunAttributes.XOR_MAPPED_ADDRESS, value);
        try {
            StunAttributes.decodeXorAddress(a, new byte[12]);
            StunAttributes.decodeAddress(a);
        } catch (StunFormatException e) {
            assert e.getMessage() != null;
        }
        try {
            StunAttributes.decodeErrorCode(a);
        } catch (StunFormatException e) {
            assert e.getMessage() != null;
        }
    }

    private static void decodeOrReason(byte[] bytes) {
        try {
            StunMessage.decode(ByteBuffer.wrap(bytes));
        } catch (StunFormatException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("a refusal without a reason");
            }
        }
    }

    @Provide
    Arbitrary<StunMessage> messages() {
        Arbitrary<StunAttribute> attribute = Arbitraries.integers().between(0, 0xffff)
                .filter(t -> t != StunAttributes.FINGERPRINT && t != StunAttributes.MESSAGE_INTEGRITY
                        && t != StunAttributes.MESSAGE_INTEGRITY_SHA256)
                .flatMap(t -> Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(v -> new StunAttribute(t, v)));
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 0xfff),
                Arbitraries.of(StunMessage.MessageClass.values()),
                Arbitraries.bytes().array(byte[].class).ofSize(12), attribute.list().ofMaxSize(6),
                Arbitraries.of(true, false))
                .as((method, cls, id, attrs, fp) -> new StunMessage(method, cls, id, new ArrayList<>(attrs), fp));
    }
}
