package dev.srudp.core.stun;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One attribute of a STUN message: its 16-bit type and its value, without padding.
 *
 * @param type  the attribute type; values below 0x8000 are comprehension-required
 * @param value the value (copied in and out)
 */
public record StunAttribute(int type, byte[] value) {
    /** Longest value this codec writes or accepts: a STUN message over UDP must fit one datagram. */
    public static final int MAX_VALUE_LENGTH = 1024;

    /** Checks the type's range and the value's length; copies the value. */
    public StunAttribute {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("attribute value of " + value.length + " bytes exceeds "
                    + MAX_VALUE_LENGTH);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value's length in bytes, without copying it. */
    public int length() {
        return value.length;
    }

    byte[] valueView() {
        return value;
    }

    /**
     * RFC 8489, section 14: "Attributes with type values between 0x0000 and 0x7FFF are
     * comprehension-required attributes".
     */
    public boolean comprehensionRequired() {
        return type < 0x8000;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunAttribute a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("0x%04x:%s", type, HexFormat.of().formatHex(value));
    }
}
