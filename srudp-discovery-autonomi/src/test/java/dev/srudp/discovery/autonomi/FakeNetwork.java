package dev.srudp.discovery.autonomi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy Autonomi network as far as pointers and public scratchpads go: one value per address,
 * and "a PUT is rejected when counter <= local.counter" (research note §1.1, §1.2). Gateways share
 * one instance; tests may bypass the rule to play a stale replica or a fork.
 */
final class FakeNetwork {
    record Pad(byte[] content, long counter) {}

    record Pointer(String target, long counter) {}

    private final Map<String, Pad> pads = new HashMap<>();
    private final Map<String, Pointer> pointers = new HashMap<>();
    private int paidCreations;

    /** A 96-hex address from an owner key and a name, as key derivation would give. */
    static String address(String ownerKey, String kind, String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-384")
                    .digest((ownerKey + "/" + kind + "/" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    synchronized boolean createPad(String address, byte[] content) {
        if (pads.containsKey(address)) {
            return false;
        }
        paidCreations++;
        pads.put(address, new Pad(content.clone(), 0));
        return true;
    }

    synchronized boolean putPad(String address, byte[] content, long counter) {
        Pad old = pads.get(address);
        if (old == null || counter <= old.counter()) {
            return false;
        }
        pads.put(address, new Pad(content.clone(), counter));
        return true;
    }

    synchronized boolean createPointer(String address, String target) {
        if (pointers.containsKey(address)) {
            return false;
        }
        paidCreations++;
        pointers.put(address, new Pointer(target, 0));
        return true;
    }

    synchronized Optional<Pad> pad(String address) {
        return Optional.ofNullable(pads.get(address));
    }

    synchronized Optional<Pointer> pointer(String address) {
        return Optional.ofNullable(pointers.get(address));
    }

    /** Replaces a scratchpad's value without the counter rule: a stale replica, a rollback, a fork. */
    synchronized void overridePad(String address, byte[] content, long counter) {
        pads.put(address, new Pad(content.clone(), counter));
    }

    synchronized int paidCreations() {
        return paidCreations;
    }
}
