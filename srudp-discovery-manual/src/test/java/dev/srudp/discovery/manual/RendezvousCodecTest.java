package dev.srudp.discovery.manual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.discovery.manual.RendezvousFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RendezvousCodecTest {

    private static byte[] record(int length) {
        byte[] record = new byte[length];
        new Random(length).nextBytes(record);
        return record;
    }

    private static RendezvousFormatException failure(CharSequence text) {
        return assertThrows(RendezvousFormatException.class, () -> RendezvousCodec.decode(text));
    }

    @Test
    void theDocumentedExampleEncodesAndDecodes() throws RendezvousFormatException {
        byte[] hello = "hello, partner".getBytes(StandardCharsets.US_ASCII);
        String text = RendezvousCodec.encode(hello);
        assertEquals("srudp1-0076g8-sbcdh1-qjr83e-gc5s7c-8vk5ej-8qgt6n-0zn", text);
        assertEquals(RendezvousCodec.encodedLength(hello.length), text.length());
        assertArrayEquals(hello, RendezvousCodec.decode(text));
    }

    @Test
    void decodingIgnoresCaseWhitespaceLineBreaksAndAUriScheme() throws RendezvousFormatException {
        byte[] record = record(400);
        String text = RendezvousCodec.encode(record);
        StringBuilder mangled = new StringBuilder("  \n srudp:").append(text.substring(0, 7));
        String payload = text.substring(7).toUpperCase();
        for (int i = 0; i < payload.length(); i++) {
            mangled.append(payload.charAt(i));
            if (i % 23 == 22) {
                mangled.append(i % 2 == 0 ? "\r\n" : " \t ");
            }
        }
        mangled.append("\n\n");
        assertArrayEquals(record, RendezvousCodec.decode(mangled));
        assertArrayEquals(record, RendezvousCodec.decode(mangled.toString().toUpperCase()));
    }

    @Test
    void missingDashesAreToleratedBecauseGroupsAreCountedBySymbols() throws RendezvousFormatException {
        byte[] record = record(120);
        String text = RendezvousCodec.encode(record);
        String withoutDashes = text.substring(0, 7) + text.substring(7).replace("-", "");
        assertArrayEquals(record, RendezvousCodec.decode(withoutDashes));
    }

    @Test
    void lookAlikeLettersAreReadAsTheDigitsTheyResemble() throws RendezvousFormatException {
        byte[] record = record(200);
        String text = RendezvousCodec.encode(record);
        String payload = text.substring(7).replace('0', 'O').replace('1', 'l');
        assertArrayEquals(record, RendezvousCodec.decode(text.substring(0, 7) + payload));
    }

    @Test
    void typographicHyphensAreReadAsDashes() throws RendezvousFormatException {
        byte[] record = record(50);
        String text = RendezvousCodec.encode(record).replace('-', '\u2013');
        assertArrayEquals(record, RendezvousCodec.decode(text));
    }

    @Test
    void anEmptyOrBlankTextIsReportedAsEmpty() {
        assertEquals(Reason.EMPTY, failure("").reason());
        assertEquals(Reason.EMPTY, failure(" \n\t ").reason());
    }

    @Test
    void aTextWithoutThePrefixIsReportedWithTheFirstWrongPosition() {
        RendezvousFormatException e = failure("hello world");
        assertEquals(Reason.WRONG_PREFIX, e.reason());
        assertEquals(1, e.position());
        String text = RendezvousCodec.encode(record(30));
        e = failure("srudq" + text.substring(5));
        assertEquals(Reason.WRONG_PREFIX, e.reason());
        assertEquals(5, e.position());
    }

    @Test
    void anotherVersionIsReportedAsWrongVersionAndNamed() {
        String text = RendezvousCodec.encode(record(30));
        RendezvousFormatException e = failure("srudp2" + text.substring(6));
        assertEquals(Reason.WRONG_VERSION, e.reason());
        assertEquals(6, e.position());
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void aForeignCharacterIsReportedWithItsPositionAndItself() {
        String text = RendezvousCodec.encode(record(30));
        RendezvousFormatException e = failure(text.substring(0, 12) + "u" + text.substring(13));
        assertEquals(Reason.INVALID_CHARACTER, e.reason());
        assertEquals(13, e.position());
        assertTrue(e.getMessage().contains("'u'"), e.getMessage());
        e = failure(text.substring(0, 9) + "\u00e9" + text.substring(10));
        assertEquals(Reason.INVALID_CHARACTER, e.reason());
        assertEquals(10, e.position());
        assertTrue(e.getMessage().contains("U+00E9"), e.getMessage());
    }

    @Test
    void aMistypedCharacterIsReportedAsATypoInItsGroup() {
        String text = RendezvousCodec.encode(record(60));
        int groupThreeStart = 7 + 2 * 7;
        int at = groupThreeStart + 2;
        char wrong = text.charAt(at) == 'a' ? 'b' : 'a';
        RendezvousFormatException e = failure(text.substring(0, at) + wrong + text.substring(at + 1));
        assertEquals(Reason.TYPO, e.reason());
        assertEquals(groupThreeStart + 1, e.position());
        assertTrue(e.getMessage().contains("group 3 (characters " + (groupThreeStart + 1) + " to "
                + (groupThreeStart + 6) + ")"), e.getMessage());
    }

    @Test
    void aDroppedCharacterIsFoundAtTheNextDash() {
        String text = RendezvousCodec.encode(record(60));
        int at = 7 + 7 + 3;
        RendezvousFormatException e = failure(text.substring(0, at) + text.substring(at + 1));
        assertEquals(Reason.TYPO, e.reason());
        assertEquals(7 + 7 + 6, e.position());
        assertTrue(e.getMessage().contains("group 2"), e.getMessage());
    }

    @Test
    void aStringCutShortIsReportedAsTruncatedAtItsEnd() {
        String text = RendezvousCodec.encode(record(300));
        String cut = text.substring(0, 7 + 7 * 20 - 1);
        RendezvousFormatException e = failure(cut);
        assertEquals(Reason.TRUNCATED, e.reason());
        assertEquals(cut.length() + 1, e.position());
        assertEquals(Reason.TRUNCATED, failure("srud").reason());
        assertEquals(Reason.TRUNCATED, failure("srudp1-abc").reason());
    }

    @Test
    void groupsMovedBy32PlacesPassTheGroupChecksButNotTheChecksum() {
        String text = RendezvousCodec.encode(record(300));
        String[] groups = text.substring(7).split("-");
        assertTrue(groups.length > 35);
        String second = groups[1];
        groups[1] = groups[33];
        groups[33] = second;
        RendezvousFormatException e = failure("srudp1-" + String.join("-", groups));
        assertEquals(Reason.CHECKSUM, e.reason());
    }

    @Test
    void groupsMovedFewerThan32PlacesFailTheirGroupCheck() {
        String text = RendezvousCodec.encode(record(300));
        String[] groups = text.substring(7).split("-");
        String second = groups[1];
        groups[1] = groups[2];
        groups[2] = second;
        RendezvousFormatException e = failure("srudp1-" + String.join("-", groups));
        assertEquals(Reason.TYPO, e.reason());
        assertEquals(8 + 7, e.position());
    }

    @Test
    void anythingAfterTheDeclaredEndIsTooLong() {
        String text = RendezvousCodec.encode(record(40));
        RendezvousFormatException e = failure(text + "x");
        assertEquals(Reason.TOO_LONG, e.reason());
        assertEquals(text.length() + 1, e.position());
    }

    @Test
    void aTextBeyondTheInputBoundIsRejectedBeforeItIsRead() {
        RendezvousFormatException e = failure("srudp1-" + "a".repeat(RendezvousCodec.MAX_INPUT_CHARS));
        assertEquals(Reason.TOO_LONG, e.reason());
        assertEquals(RendezvousCodec.MAX_INPUT_CHARS + 1, e.position());
    }

    @Test
    void theLargestRecordFitsTheInputBoundAndALargerOneIsRefused() throws RendezvousFormatException {
        assertEquals(6901, RendezvousCodec.encodedLength(RendezvousCodec.MAX_RECORD_BYTES));
        byte[] largest = record(RendezvousCodec.MAX_RECORD_BYTES);
        assertArrayEquals(largest, RendezvousCodec.decode(RendezvousCodec.encode(largest)));
        assertThrows(IllegalArgumentException.class,
                () -> RendezvousCodec.encode(new byte[RendezvousCodec.MAX_RECORD_BYTES + 1]));
    }

    @Test
    void everySingleCharacterEditOfATypical600ByteRecordIsCaughtNearTheEdit() {
        byte[] record = record(600);
        String text = RendezvousCodec.encode(record);
        for (Edits.Edit edit : Edits.all(text)) {
            RendezvousCodecPropertyTest.assertCaughtOrHarmless(record, edit);
        }
    }
}
