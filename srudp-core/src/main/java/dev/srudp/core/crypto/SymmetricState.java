package dev.srudp.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A Noise SymmetricState (Noise §5.2) with SHA-256: a CipherState, a chaining key and a hash. */
final class SymmetricState {

    private final NoiseCipher cipher;
    private final CipherState cipherState;
    private final MessageDigest sha256;
    private byte[] ck;
    private byte[] h;

    // Noise §5.2: "If protocol_name is less than or equal to HASHLEN bytes in length, sets h
    // equal to protocol_name with zero bytes appended to make HASHLEN bytes. Otherwise sets
    // h = HASH(protocol_name)." ... "Sets ck = h." ... "Calls InitializeKey(empty)."
    SymmetricState(String protocolName, NoiseCipher cipher) {
        this.cipher = cipher;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= NoiseHkdf.HASH_LENGTH ? Arrays.copyOf(name, NoiseHkdf.HASH_LENGTH) : sha256.digest(name);
        ck = h.clone();
        cipherState = new CipherState(cipher, null);
    }

    // Noise §5.2: "MixKey(input_key_material): Sets ck, temp_k = HKDF(ck, input_key_material, 2).
    // If HASHLEN is 64, then truncates temp_k to 32 bytes. Calls InitializeKey(temp_k)."
    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = NoiseHkdf.derive(ck, inputKeyMaterial, 2);
        ck = out[0];
        cipherState.initializeKey(out[1]);
        Arrays.fill(out[1], (byte) 0);
    }

    // Noise §5.2: "MixHash(data): Sets h = HASH(h || data)."
    void mixHash(byte[] data) {
        sha256.update(h);
        sha256.update(data);
        h = sha256.digest();
    }

    boolean hasKey() {
        return cipherState.hasKey();
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    // Noise §5.2: "EncryptAndHash(plaintext): Sets ciphertext = EncryptWithAd(h, plaintext),
    // calls MixHash(ciphertext), and returns ciphertext."
    byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    // Noise §5.2: "DecryptAndHash(ciphertext): Sets plaintext = DecryptWithAd(h, ciphertext),
    // calls MixHash(ciphertext), and returns plaintext."
    byte[] decryptAndHash(byte[] ciphertext) throws AeadException {
        byte[] plaintext = cipherState.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    // Noise §5.2: "Split(): Returns a pair of CipherState objects for encrypting transport
    // messages. Sets temp_k1, temp_k2 = HKDF(ck, zerolen, 2)."
    CipherState[] split() {
        byte[][] out = NoiseHkdf.derive(ck, new byte[0], 2);
        CipherState c1 = new CipherState(cipher, out[0]);
        CipherState c2 = new CipherState(cipher, out[1]);
        Arrays.fill(out[0], (byte) 0);
        Arrays.fill(out[1], (byte) 0);
        return new CipherState[] {c1, c2};
    }
}
