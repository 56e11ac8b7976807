package dev.srudp.discovery.autonomi.gateway;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A BLS12-381 owner secret key for gateways that take one from the client (dweb's
 * {@code Ant-Owner-Secret}), derived deterministically from a secret file so that the same pointer
 * and scratchpad are found again on every run.
 *
 * <p>Derivation: {@code HMAC-SHA256(key = file bytes, "srudp autonomi owner key v1")}, read as a
 * big-endian integer and reduced modulo the BLS12-381 group order r (zero becomes one), written as
 * 64 hex characters, big-endian, the form blsttc's {@code SecretKey::from_hex} reads.
 *
 * <p>{@link #toString()} never shows the key.
 */
public final class OwnerSecret {
    /** No client key: the gateway uses its own. */
    public static final OwnerSecret NONE = new OwnerSecret(null);

    private static final BigInteger BLS12_381_R =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    private static final byte[] LABEL = "srudp autonomi owner key v1".getBytes(StandardCharsets.US_ASCII);

    private final String hex;

    private OwnerSecret(String hex) {
        this.hex = hex;
    }

    /**
     * Reads and derives from a file that only its owner may read or write (on file systems with
     * POSIX permissions).
     */
    public static OwnerSecret fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("owner-secret-file " + file + " is not a readable regular file");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new IOException("owner-secret-file " + file + " may be read or written by others ("
                            + p + "); allow only its owner, for example: chmod 600 " + file);
                }
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length < 16) {
            throw new IOException("owner-secret-file " + file + " holds fewer than 16 bytes; put at least 32 random bytes in it");
        }
        return fromSecret(secret);
    }

    static OwnerSecret fromSecret(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            BigInteger k = new BigInteger(1, mac.doFinal(LABEL)).mod(BLS12_381_R);
            if (k.signum() == 0) {
                k = BigInteger.ONE;
            }
            byte[] be = k.toByteArray();
            byte[] fixed = new byte[32];
            int n = Math.min(be.length, 32);
            System.arraycopy(be, be.length - n, fixed, 32 - n, n);
            return new OwnerSecret(HexFormat.of().formatHex(fixed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    /** The key as 64 hex characters, for the one header that carries it. */
    Optional<String> hex() {
        return Optional.ofNullable(hex);
    }

    @Override
    public String toString() {
        return hex == null ? "OwnerSecret[none]" : "OwnerSecret[redacted]";
    }
}
