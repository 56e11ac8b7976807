package dev.srudp.discovery.manual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RendezvousCodecPropertyTest {

    @Property(tries = 300)
    void anyRecordOfOneTo2000BytesSurvivesTheRoundTrip(@ForAll @Size(min = 1, max = 2000) byte[] record)
            throws RendezvousFormatException {
        String text = RendezvousCodec.encode(record);
        assertTrue(text.matches("srudp1-[0-9a-hjkmnp-tv-z]{6}(-[0-9a-hjkmnp-tv-z]{6})*(-[0-9a-hjkmnp-tv-z]{2,6})?"), text);
        assertEquals(RendezvousCodec.encodedLength(record.length), text.length());
        assertArrayEquals(record, RendezvousCodec.decode(text));
    }

    @Property(tries = 25)
    void everySingleCharacterEditOfAShortStringIsCaughtNearTheEdit(
            @ForAll @Size(min = 0, max = 64) byte[] record) {
        String text = RendezvousCodec.encode(record);
        for (Edits.Edit edit : Edits.all(text)) {
            assertCaughtOrHarmless(record, edit);
        }
    }

    @Property(tries = 3000)
    void aRandomSingleCharacterEditOfALongStringIsCaughtNearTheEdit(
            @ForAll("records") byte[] record, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        String text = RendezvousCodec.encode(record);
        Random random = new Random(seed);
        int i = random.nextInt(text.length());
        char c = Edits.REPLACEMENTS.charAt(random.nextInt(Edits.REPLACEMENTS.length()));
        Edits.Edit edit = switch (random.nextInt(4)) {
            case 0 -> Edits.substitution(text, i, c);
            case 1 -> Edits.deletion(text, i);
            case 2 -> Edits.insertion(text, random.nextInt(text.length() + 1), c);
            default -> Edits.transposition(text, Math.min(i, text.length() - 2));
        };
        assertCaughtOrHarmless(record, edit);
    }

    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2000);
    }

    @Property(tries = 200)
    void decodingSurvivesAnyText(@ForAll @Size(max = 300) String text) {
        try {
            RendezvousCodec.decode(text);
        } catch (RendezvousFormatException e) {
            assertTrue(e.position() >= 1 && e.position() <= text.length() + 1, e.getMessage());
        }
    }

    @Property(tries = 500)
    void decodingSurvivesAnyTextAfterAValidPrefix(@ForAll("payloadLike") String payload) {
        String text = RendezvousCodec.PREFIX + payload;
        try {
            RendezvousCodec.decode(text);
        } catch (RendezvousFormatException e) {
            assertTrue(e.position() >= 1 && e.position() <= text.length() + 1, e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> payloadLike() {
        return Arbitraries.strings().withChars((RendezvousCodec.ALPHABET + "-- \nOIU#").toCharArray()).ofMaxLength(400);
    }

    static void assertCaughtOrHarmless(byte[] record, Edits.Edit edit) {
        byte[] decoded;
        try {
            decoded = RendezvousCodec.decode(edit.result());
        } catch (RendezvousFormatException e) {
            int distance = Math.abs(e.position() - edit.position());
            if (distance > RendezvousCodec.MAX_POSITION_DISTANCE) {
                fail(edit.kind() + " at position " + edit.position() + " reported at position " + e.position()
                        + ": " + e.getMessage());
            }
            return;
        }
        assertArrayEquals(record, decoded, () -> edit.kind() + " at position " + edit.position()
                + " decoded to other bytes without an error");
    }
}
