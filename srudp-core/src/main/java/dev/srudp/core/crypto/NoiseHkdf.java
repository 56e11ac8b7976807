package dev.srudp.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HKDF of Noise §4.3 over HMAC-SHA256, composed from the JDK's {@code HmacSHA256}. */
final class NoiseHkdf {

    static final int HASH_LENGTH = 32;

    private NoiseHkdf() {
    }

    /**
     * Derives two or three 32-byte outputs from {@code chainingKey} and {@code inputKeyMaterial}.
     */
    // Noise §4.3: "Sets temp_key = HMAC-HASH(chaining_key, input_key_material).
    // Sets output1 = HMAC-HASH(temp_key, byte(0x01)).
    // Sets output2 = HMAC-HASH(temp_key, output1 || byte(0x02)).
    // If num_outputs == 2 then returns the pair (output1, output2).
    // Sets output3 = HMAC-HASH(temp_key, output2 || byte(0x03)).
    // Returns the triple (output1, output2, output3)."
    static byte[][] derive(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
        if (outputs != 2 && outputs != 3) {
            throw new IllegalArgumentException("Noise HKDF gives two or three outputs, not " + outputs);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(chainingKey, "HmacSHA256"));
            byte[] tempKey = mac.doFinal(inputKeyMaterial);
            mac.init(new SecretKeySpec(tempKey, "HmacSHA256"));
            byte[][] out = new byte[outputs][];
            byte[] previous = new byte[0];
            for (int i = 0; i < outputs; i++) {
                mac.update(previous);
                mac.update((byte) (i + 1));
                out[i] = mac.doFinal();
                previous = out[i];
            }
            Arrays.fill(tempKey, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
