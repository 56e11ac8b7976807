package dev.srudp.discovery.manual;

import dev.srudp.discovery.manual.RendezvousFormatException.Reason;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Encodes a signed record as a rendezvous string, text that survives being copied, pasted, read
 * aloud or typed, and decodes it back with a precise error for any typo.
 *
 * <h2>Format, version 1</h2>
 *
 * <pre>
 *   srudp1-0076g8-sbcdh1-qjr83e-gc5s7c-8vk5ej-8qgt6n-0zn    (the 14 bytes "hello, partner")
 *   \____/ \____/
 *   prefix  group: 5 data symbols + 1 check symbol
 * </pre>
 *
 * <p>The bytes carried are a 2-byte length, the record, and a CRC-32C over both:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |   record length (big-endian)  |  record (length bytes) ...    |
 * +-------------------------------+                               +
 * |                              ...                              |
 * +---------------------------------------------------------------+
 * |        CRC-32C of length and record (big-endian)              |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>These bytes are cut into 5-bit symbols, most significant bit first, the last symbol padded
 * with zero bits, and written in the alphabet {@value #ALPHABET}: digits and lowercase letters
 * without {@code i l o u} (Crockford's base 32). Without {@code i l o} no two symbols look alike;
 * without {@code u} no common word can appear by accident. Every symbol is URL- and URI-safe, so
 * the string needs no escaping in an {@code srudp:} URI.
 *
 * <p>Symbols go in groups of 5 data symbols followed by 1 check symbol (the last group may hold
 * fewer data symbols), groups separated by {@code -}. The check symbol of group {@code g} with data
 * symbols {@code d0..d4} is, in GF(32) with polynomial x<sup>5</sup>+x<sup>2</sup>+1 and
 * generator &alpha; = x:
 *
 * <pre>
 *   check = &alpha;&middot;d0 + &alpha;&sup2;&middot;d1 + &alpha;&sup3;&middot;d2 + &alpha;&#8308;&middot;d3 + &alpha;&#8309;&middot;d4 + (g mod 32)
 * </pre>
 *
 * <p>Distinct nonzero weights make every changed symbol and every swap of two neighbouring
 * symbols change the check; no weight is 1, so swapping the last data symbol with the check
 * symbol is caught as well; the group index makes a group moved fewer than 32 places fail.
 *
 * <h2>What decoding accepts</h2>
 *
 * <ul>
 *   <li>upper or lower case; {@code o} read as {@code 0}, {@code i} and {@code l} as {@code 1};
 *   <li>whitespace and line breaks anywhere after the prefix, and around the whole string;
 *   <li>a leading {@code srudp:} (the string pasted as a URI);
 *   <li>missing dashes: groups are found by counting 6 symbols. A dash that is present must stand
 *       right after a whole group, so a dropped or added symbol is found at the next dash. Unicode
 *       hyphens and minus signs that word processors put in are read as dashes.
 * </ul>
 *
 * <p>Every single-character change of a valid string, whether a substitution, a deletion, an
 * insertion or a swap of neighbours, either fails with the position of the problem at most 8
 * characters from the change, or decodes to the same bytes (a dropped dash, a changed case). A
 * dropped or added symbol in the last group is caught by the length in the first group; anything
 * the group checks cannot see (a group moved 32 places, several typos) by the CRC-32C.
 *
 * <p>Pure functions, safe from any thread. Decoding reads at most {@value #MAX_INPUT_CHARS}
 * characters and allocates in proportion to them.
 */
public final class RendezvousCodec {
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    /** Every version-1 string starts with this. */
    public static final String PREFIX = "srudp1-";
    /** The longest text {@link #decode} looks at, in characters (whitespace included). */
    public static final int MAX_INPUT_CHARS = 8192;
    /**
     * The largest record {@link #encode} takes, in bytes: its string is 6,901 characters, leaving
     * room within {@link #MAX_INPUT_CHARS} for line breaks added on the way.
     */
    public static final int MAX_RECORD_BYTES = 3072;

    static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    static final int DATA_SYMBOLS_PER_GROUP = 5;
    static final int GROUP_SYMBOLS = DATA_SYMBOLS_PER_GROUP + 1;
    private static final int LENGTH_BYTES = 2;
    private static final int CRC_BYTES = 4;
    private static final String URI_SCHEME = "srudp:";
    private static final String MAGIC = "srudp";
    /** The most a reported position may lie from a single-character change that caused it. */
    static final int MAX_POSITION_DISTANCE = 8;

    /** WEIGHTED[j][d] = &alpha;^(j+1) * d in GF(32). */
    private static final int[][] WEIGHTED = new int[DATA_SYMBOLS_PER_GROUP][32];
    private static final int[] SYMBOL_VALUE = new int[128];

    static {
        for (int j = 0; j < DATA_SYMBOLS_PER_GROUP; j++) {
            int weight = 1;
            for (int k = 0; k <= j; k++) {
                weight = gfMultiply(weight, 2);
            }
            for (int d = 0; d < 32; d++) {
                WEIGHTED[j][d] = gfMultiply(weight, d);
            }
        }
        Arrays.fill(SYMBOL_VALUE, -1);
        for (int v = 0; v < 32; v++) {
            char c = ALPHABET.charAt(v);
            SYMBOL_VALUE[c] = v;
            SYMBOL_VALUE[Character.toUpperCase(c)] = v;
        }
        for (char c : new char[] {'o', 'O'}) {
            SYMBOL_VALUE[c] = 0;
        }
        for (char c : new char[] {'i', 'I', 'l', 'L'}) {
            SYMBOL_VALUE[c] = 1;
        }
    }

    private RendezvousCodec() {}

    /**
     * The rendezvous string for {@code record}, lowercase, with dashes between groups.
     *
     * @throws IllegalArgumentException if the record is longer than {@link #MAX_RECORD_BYTES}
     */
    public static String encode(byte[] record) {
        if (record.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + record.length
                    + " bytes does not fit a rendezvous string; the most is " + MAX_RECORD_BYTES);
        }
        byte[] payload = new byte[LENGTH_BYTES + record.length + CRC_BYTES];
        payload[0] = (byte) (record.length >>> 8);
        payload[1] = (byte) record.length;
        System.arraycopy(record, 0, payload, LENGTH_BYTES, record.length);
        int crc = crc(payload, LENGTH_BYTES + record.length);
        int at = LENGTH_BYTES + record.length;
        payload[at] = (byte) (crc >>> 24);
        payload[at + 1] = (byte) (crc >>> 16);
        payload[at + 2] = (byte) (crc >>> 8);
        payload[at + 3] = (byte) crc;

        int[] data = toSymbols(payload);
        StringBuilder out = new StringBuilder(PREFIX.length() + data.length * 7 / 5 + 2);
        out.append(PREFIX);
        for (int start = 0, group = 0; start < data.length; start += DATA_SYMBOLS_PER_GROUP, group++) {
            int end = Math.min(start + DATA_SYMBOLS_PER_GROUP, data.length);
            if (group > 0) {
                out.append('-');
            }
            for (int k = start; k < end; k++) {
                out.append(ALPHABET.charAt(data[k]));
            }
            out.append(ALPHABET.charAt(check(data, start, end - start, group)));
        }
        return out.toString();
    }

    /**
     * The record carried by {@code text}.
     *
     * @throws RendezvousFormatException saying what is wrong and where, if {@code text} is not a
     *     valid version-1 rendezvous string
     */
    public static byte[] decode(CharSequence text) throws RendezvousFormatException {
        if (text == null || isBlank(text)) {
            throw new RendezvousFormatException(Reason.EMPTY, 1,
                    "the rendezvous string is empty: paste the whole string, starting with " + PREFIX);
        }
        int length = text.length();
        if (length > MAX_INPUT_CHARS) {
            throw new RendezvousFormatException(Reason.TOO_LONG, MAX_INPUT_CHARS + 1,
                    "the text has " + length + " characters; a rendezvous string has at most "
                            + MAX_INPUT_CHARS + ": was something else pasted with it?");
        }
        int i = 0;
        while (isIgnorable(text.charAt(i))) {
            i++;
        }
        if (startsWithIgnoreCase(text, i, URI_SCHEME)) {
            i += URI_SCHEME.length();
        }
        i = readPrefix(text, i);

        int[] symbols = new int[length];
        int[] positions = new int[length];
        int count = 0;
        int inGroup = 0;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (isIgnorable(c)) {
                continue;
            }
            if (isDash(c)) {
                if (inGroup != GROUP_SYMBOLS) {
                    throw misplacedDash(i + 1, count, inGroup, positions);
                }
                inGroup = 0;
                continue;
            }
            int value = c < 128 ? SYMBOL_VALUE[c] : -1;
            if (value < 0) {
                throw invalidCharacter(c, i + 1);
            }
            if (inGroup == GROUP_SYMBOLS) {
                inGroup = 0;
            }
            symbols[count] = value;
            positions[count] = i + 1;
            count++;
            inGroup++;
        }
        int endPosition = lastNonIgnorable(text) + 2;

        if (count < GROUP_SYMBOLS) {
            throw truncated(endPosition, count, GROUP_SYMBOLS);
        }
        verifyGroup(symbols, positions, 0, GROUP_SYMBOLS);
        int recordLength = ((symbols[0] << 11) | (symbols[1] << 6) | (symbols[2] << 1) | (symbols[3] >>> 4));
        if (recordLength > MAX_RECORD_BYTES) {
            throw new RendezvousFormatException(Reason.TOO_LONG, positions[0],
                    "the string declares a record of " + recordLength + " bytes; the most is "
                            + MAX_RECORD_BYTES + ": it was not made by srudp, or is badly damaged");
        }
        int payloadBytes = LENGTH_BYTES + recordLength + CRC_BYTES;
        int dataSymbols = (payloadBytes * 8 + 4) / 5;
        int expected = symbolCount(dataSymbols);
        for (int start = GROUP_SYMBOLS, group = 1; start < expected; start += GROUP_SYMBOLS, group++) {
            int size = Math.min(GROUP_SYMBOLS, expected - start);
            if (count < start + size) {
                throw truncated(endPosition, count, expected);
            }
            verifyGroup(symbols, positions, group, size);
        }
        if (count > expected) {
            throw new RendezvousFormatException(Reason.TOO_LONG, positions[expected],
                    "the string goes on for " + (count - expected) + " symbol(s) after its end at position "
                            + positions[expected - 1] + ": a character was added near the end, or"
                            + " something was pasted after it");
        }

        int[] data = new int[dataSymbols];
        for (int k = 0, d = 0; k < expected; k++) {
            if (k % GROUP_SYMBOLS != GROUP_SYMBOLS - 1 && k != expected - 1) {
                data[d++] = symbols[k];
            }
        }
        byte[] payload = fromSymbols(data, payloadBytes);
        int firstPosition = positions[0];
        if (payload == null) {
            throw checksumMismatch(firstPosition);
        }
        int at = LENGTH_BYTES + recordLength;
        int stored = ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16)
                | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        if (stored != crc(payload, at)) {
            throw checksumMismatch(firstPosition);
        }
        byte[] record = new byte[recordLength];
        System.arraycopy(payload, LENGTH_BYTES, record, 0, recordLength);
        return record;
    }

    /** The length in characters of the string {@link #encode} makes for a record of this size. */
    static int encodedLength(int recordBytes) {
        int dataSymbols = ((LENGTH_BYTES + recordBytes + CRC_BYTES) * 8 + 4) / 5;
        int groups = (dataSymbols + DATA_SYMBOLS_PER_GROUP - 1) / DATA_SYMBOLS_PER_GROUP;
        return PREFIX.length() + dataSymbols + groups + (groups - 1);
    }

    private static int symbolCount(int dataSymbols) {
        return dataSymbols + (dataSymbols + DATA_SYMBOLS_PER_GROUP - 1) / DATA_SYMBOLS_PER_GROUP;
    }

    /** Reads {@code srudp<version>-} from {@code i}; returns the index after the dash. */
    private static int readPrefix(CharSequence text, int i) throws RendezvousFormatException {
        int length = text.length();
        for (int k = 0; k < MAGIC.length(); k++, i++) {
            if (i >= length) {
                throw new RendezvousFormatException(Reason.TRUNCATED, i + 1,
                        "the text ends inside the prefix: a rendezvous string starts with " + PREFIX);
            }
            if (asciiLower(text.charAt(i)) != MAGIC.charAt(k)) {
                throw new RendezvousFormatException(Reason.WRONG_PREFIX, i + 1,
                        "not a rendezvous string: it should start with " + PREFIX + ", but position "
                                + (i + 1) + " is " + describe(text.charAt(i)));
            }
        }
        int versionStart = i;
        while (i < length && i - versionStart <= 9 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i == versionStart) {
            if (i >= length) {
                throw new RendezvousFormatException(Reason.TRUNCATED, i + 1,
                        "the text ends inside the prefix: a rendezvous string starts with " + PREFIX);
            }
            throw new RendezvousFormatException(Reason.WRONG_PREFIX, i + 1,
                    "not a rendezvous string: it should start with " + PREFIX + ", but position "
                            + (i + 1) + " is " + describe(text.charAt(i)) + " where the version number belongs");
        }
        String version = text.subSequence(versionStart, i).toString();
        if (!version.equals(Integer.toString(VERSION))) {
            throw new RendezvousFormatException(Reason.WRONG_VERSION, versionStart + 1,
                    "this rendezvous string has format version " + version + "; this srudp reads version "
                            + VERSION + ": the partner's srudp is newer or older, so update the older one");
        }
        if (i >= length) {
            throw new RendezvousFormatException(Reason.TRUNCATED, i + 1,
                    "the text ends after the prefix: the rest of the string is missing");
        }
        if (!isDash(text.charAt(i))) {
            throw new RendezvousFormatException(Reason.WRONG_PREFIX, i + 1,
                    "not a rendezvous string: it should start with " + PREFIX + ", but position "
                            + (i + 1) + " is " + describe(text.charAt(i)) + " where a dash belongs");
        }
        return i + 1;
    }

    private static void verifyGroup(int[] symbols, int[] positions, int group, int size)
            throws RendezvousFormatException {
        int start = group * GROUP_SYMBOLS;
        int dataCount = size - 1;
        if (check(symbols, start, dataCount, group) != symbols[start + dataCount]) {
            int first = positions[start];
            int last = positions[start + size - 1];
            throw new RendezvousFormatException(Reason.TYPO, first,
                    "typo near position " + first + ": group " + (group + 1) + " (characters " + first
                            + " to " + last + ") fails its check; compare it with the original");
        }
    }

    private static int check(int[] symbols, int start, int dataCount, int group) {
        int sum = group & 31;
        for (int j = 0; j < dataCount; j++) {
            sum ^= WEIGHTED[j][symbols[start + j]];
        }
        return sum;
    }

    private static int gfMultiply(int a, int b) {
        int product = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                product ^= a;
            }
            b >>>= 1;
            a <<= 1;
            if ((a & 0x20) != 0) {
                a ^= 0x25;
            }
        }
        return product;
    }

    private static int[] toSymbols(byte[] bytes) {
        int[] symbols = new int[(bytes.length * 8 + 4) / 5];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                symbols[n++] = (buffer >>> bits) & 31;
            }
        }
        if (bits > 0) {
            symbols[n] = (buffer << (5 - bits)) & 31;
        }
        return symbols;
    }

    /** The bytes, or null if the padding bits are not zero. */
    private static byte[] fromSymbols(int[] symbols, int byteCount) {
        byte[] bytes = new byte[byteCount];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int s : symbols) {
            buffer = ((buffer << 5) | s) & 0xfff;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                if (n < byteCount) {
                    bytes[n++] = (byte) (buffer >>> bits);
                }
            }
        }
        return (buffer & ((1 << bits) - 1)) == 0 ? bytes : null;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static RendezvousFormatException misplacedDash(int position, int count, int inGroup, int[] positions) {
        if (inGroup == 0) {
            return new RendezvousFormatException(Reason.TYPO, position,
                    "typo near position " + position + ": a dash with no group before it; a group"
                            + " of 6 characters is missing here, or the dash is extra");
        }
        int group = (count - 1) / GROUP_SYMBOLS + 1;
        int first = positions[count - inGroup];
        return new RendezvousFormatException(Reason.TYPO, position,
                "typo near position " + position + ": group " + group + " (characters " + first + " to "
                        + (position - 1) + ") has " + inGroup + " characters before the dash instead of "
                        + GROUP_SYMBOLS + "; one was dropped or added there, or in the group before");
    }

    private static RendezvousFormatException invalidCharacter(char c, int position) {
        String hint = switch (asciiLower(c)) {
            case 'u' -> " ('u' is not used; perhaps 'v')";
            case '_', '.', ',', ':', ';' -> " (groups are separated by dashes)";
            default -> "";
        };
        return new RendezvousFormatException(Reason.INVALID_CHARACTER, position,
                describe(c) + " at position " + position + " never occurs in a rendezvous string, which"
                        + " uses digits, the letters a-z without i, l, o, u, and dashes" + hint);
    }

    private static RendezvousFormatException truncated(int endPosition, int count, int expected) {
        String what = expected - count == 1
                ? "a character is missing in its last group, or the last character was not copied"
                : "it ends after " + count + " of its " + expected + " symbols; copy the whole string";
        return new RendezvousFormatException(Reason.TRUNCATED, endPosition,
                "the rendezvous string is cut short: " + what);
    }

    private static RendezvousFormatException checksumMismatch(int position) {
        return new RendezvousFormatException(Reason.CHECKSUM, position,
                "every group passes its check but the string's overall checksum does not: several"
                        + " characters are wrong or groups are out of order; copy the string again");
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static boolean startsWithIgnoreCase(CharSequence text, int at, String prefix) {
        if (text.length() - at < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (asciiLower(text.charAt(at + k)) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean isIgnorable(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static boolean isDash(char c) {
        return c == '-' || (c >= '\u2010' && c <= '\u2015') || c == '\u2212';
    }

    private static boolean isBlank(CharSequence text) {
        for (int k = 0; k < text.length(); k++) {
            if (!isIgnorable(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int lastNonIgnorable(CharSequence text) {
        int k = text.length() - 1;
        while (k >= 0 && isIgnorable(text.charAt(k))) {
            k--;
        }
        return k;
    }
}
