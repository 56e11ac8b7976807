package dev.srudp.core.connection;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless address-validation tokens: an HMAC-SHA-256, under a secret of this endpoint, over the
 * initiator's address, port and connection ID and a coarse time. A token comes back only from
 * someone who received the COOKIE at that address, and is valid for two time slots (30 to 60 s).
 *
 * <pre>
 *  Token = Slot (32) || first 16 bytes of HMAC-SHA-256(secret, Slot || IP || Port (16) || Connection ID (64))
 * </pre>
 */
final class CookieJar {
    static final long SLOT_NANOS = 30_000_000_000L;
    static final int MAC_LENGTH = 16;
    static final int TOKEN_LENGTH = 4 + MAC_LENGTH;

    private final Mac mac;

    CookieJar(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }

    byte[] issue(InetSocketAddress to, long connectionId, long nowNanos) {
        int slot = (int) (nowNanos / SLOT_NANOS);
        byte[] token = new byte[TOKEN_LENGTH];
        ByteBuffer.wrap(token).putInt(slot).put(tag(slot, to, connectionId));
        return token;
    }

    boolean isValid(ByteBuffer token, InetSocketAddress from, long connectionId, long nowNanos) {
        if (token.remaining() != TOKEN_LENGTH) {
            return false;
        }
        ByteBuffer t = token.duplicate();
        int slot = t.getInt();
        int current = (int) (nowNanos / SLOT_NANOS);
        if (slot != current && slot != current - 1) {
            return false;
        }
        byte[] presented = new byte[MAC_LENGTH];
        t.get(presented);
        return MessageDigest.isEqual(presented, tag(slot, from, connectionId));
    }

    private byte[] tag(int slot, InetSocketAddress address, long connectionId) {
        byte[] ip = address.getAddress().getAddress();
        ByteBuffer input = ByteBuffer.allocate(4 + ip.length + 2 + 8);
        input.putInt(slot).put(ip).putShort((short) address.getPort()).putLong(connectionId);
        byte[] full = mac.doFinal(input.array());
        byte[] out = new byte[MAC_LENGTH];
        System.arraycopy(full, 0, out, 0, MAC_LENGTH);
        return out;
    }
}
