package dev.srudp.core.discovery;

import dev.srudp.spi.PeerDirectory;
import dev.srudp.spi.PeerDirectoryProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A peer directory held in memory for tests, serving {@code memdir:<slot>} addresses. Every
 * directory instance shares one table of slots. {@link #put} replaces a slot's bytes and hands them
 * to the slot's watchers synchronously, on the calling thread, so a test decides exactly when a
 * follower sees a record; nothing polls and nothing runs in the background.
 */
public final class MemoryDirectoryProvider implements PeerDirectoryProvider {
    /** The URI scheme served. */
    public static final String SCHEME = "memdir";
    /** Setting naming the slot that {@link PeerDirectory#publish} writes to; a random slot otherwise. */
    public static final String SLOT_SETTING = "slot";

    private static final Object LOCK = new Object();
    private static final Map<String, byte[]> SLOTS = new HashMap<>();
    private static final Map<String, List<Consumer<byte[]>>> WATCHERS = new HashMap<>();

    /** The directory address of {@code slot}. */
    public static URI uri(String slot) {
        return URI.create(SCHEME + ":" + slot);
    }

    /**
     * Stores {@code bytes} in {@code slot} and delivers them to every watcher of the slot before
     * returning.
     */
    public static void put(String slot, byte[] bytes) {
        byte[] copy = bytes.clone();
        synchronized (LOCK) {
            SLOTS.put(slot, copy);
            for (Consumer<byte[]> watcher : List.copyOf(WATCHERS.getOrDefault(slot, List.of()))) {
                watcher.accept(copy.clone());
            }
        }
    }

    /** The bytes in {@code slot}, if any. */
    public static Optional<byte[]> get(String slot) {
        synchronized (LOCK) {
            return Optional.ofNullable(SLOTS.get(slot)).map(byte[]::clone);
        }
    }

    /** How many watches are open on {@code slot}. */
    public static int watchers(String slot) {
        synchronized (LOCK) {
            return WATCHERS.getOrDefault(slot, List.of()).size();
        }
    }

    private static String slotOf(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a " + SCHEME + ": address: " + uri);
        }
        return uri.getSchemeSpecificPart();
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    @Override
    public PeerDirectory create(Map<String, String> settings) {
        return new Directory(settings.get(SLOT_SETTING));
    }

    private static final class Directory implements PeerDirectory {
        private final String publishSlot;
        private final List<Watch> watches = new ArrayList<>();

        Directory(String publishSlot) {
            this.publishSlot = publishSlot;
        }

        @Override
        public CompletableFuture<URI> publish(byte[] signedRecord) {
            String slot = publishSlot != null ? publishSlot : UUID.randomUUID().toString();
            put(slot, signedRecord);
            return CompletableFuture.completedFuture(uri(slot));
        }

        @Override
        public CompletableFuture<Optional<byte[]>> lookup(URI partner) {
            try {
                return CompletableFuture.completedFuture(get(slotOf(partner)));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public AutoCloseable watch(URI partner, Consumer<byte[]> onRecord) {
            String slot = slotOf(partner);
            Watch w = new Watch(slot, onRecord);
            synchronized (LOCK) {
                WATCHERS.computeIfAbsent(slot, s -> new ArrayList<>()).add(onRecord);
                watches.add(w);
                byte[] current = SLOTS.get(slot);
                if (current != null) {
                    onRecord.accept(current.clone());
                }
            }
            return w;
        }

        @Override
        public void close() {
            List<Watch> open;
            synchronized (LOCK) {
                open = List.copyOf(watches);
                watches.clear();
            }
            open.forEach(Watch::close);
        }
    }

    private record Watch(String slot, Consumer<byte[]> onRecord) implements AutoCloseable {
        @Override
        public void close() {
            synchronized (LOCK) {
                List<Consumer<byte[]>> list = WATCHERS.get(slot);
                if (list != null) {
                    list.removeIf(c -> c == onRecord);
                    if (list.isEmpty()) {
                        WATCHERS.remove(slot);
                    }
                }
            }
        }
    }
}
