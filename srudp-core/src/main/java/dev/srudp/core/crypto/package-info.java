/**
 * The cryptography of srudp: keys, the Noise handshake and packet protection.
 *
 * <ul>
 *   <li>{@link dev.srudp.core.crypto.DhKeyPair} and {@link dev.srudp.core.crypto.X25519}: X25519
 *       keys and agreement.</li>
 *   <li>{@link dev.srudp.core.crypto.Identity} and
 *       {@link dev.srudp.core.crypto.StaticKeyCertificate}: a long-term Ed25519 identity that
 *       certifies the X25519 static key used in handshakes.</li>
 *   <li>{@link dev.srudp.core.crypto.NoiseHandshake}: the Noise HandshakeState (revision 34) for
 *       {@code Noise_IK_25519_AESGCM_SHA256}, {@code Noise_XX_25519_AESGCM_SHA256} and their
 *       {@code ChaChaPoly} variants, with {@link dev.srudp.core.crypto.CipherState} and
 *       {@link dev.srudp.core.crypto.TransportKeys}.</li>
 *   <li>{@link dev.srudp.core.crypto.PacketProtection},
 *       {@link dev.srudp.core.crypto.ReplayWindow} and {@link dev.srudp.core.crypto.Tai64n}: the
 *       datagram path, with explicit packet numbers as nonces, replay refusal and handshake
 *       timestamps.</li>
 * </ul>
 *
 * <p>Which library does what: X25519 and Ed25519 come from BouncyCastle's lightweight API
 * ({@code org.bouncycastle.math.ec.rfc7748.X25519}, {@code org.bouncycastle.math.ec.rfc8032.Ed25519}),
 * measured faster than the JDK 17 providers on our machines (run {@code CryptoSpeed} in the test
 * sources to measure again). AES-256-GCM, ChaCha20-Poly1305, SHA-256 and HMAC-SHA256 come from
 * the JDK, whose AES-GCM is intrinsified. Nothing here implements a primitive itself; the Noise
 * HKDF is composed from HMAC as Noise §4.3 defines it.
 */
package dev.srudp.core.crypto;
