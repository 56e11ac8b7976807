package dev.srudp.core.crypto;

/** Strict hexadecimal decoding for test data. */
final class TestHex {

    private TestHex() {
    }

    static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd-length hex string");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int high = Character.digit(hex.charAt(2 * i), 16);
            int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("bad hex digit near offset " + 2 * i);
            }
            out[i] = (byte) (high << 4 | low);
        }
        return out;
    }

    static String encode(byte[] bytes) {
        return Hex.encode(bytes);
    }
}
