package dev.srudp.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srudp.PeerId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceStoreTest {
    @TempDir
    Path home;

    private static PeerId peer(int n) {
        return PeerId.of(ByteBuffer.allocate(32).putInt(n).array());
    }

    @Test
    void sequenceNumbersOfSeveralPeersSurviveAReopen() throws IOException {
        SequenceStore store = SequenceStore.open(home);
        assertTrue(store.lastSequence(peer(1)).isEmpty());
        assertEquals(SequenceStore.Verdict.NEW, store.offer(peer(1), 5, new byte[] {1}).offer().verdict());
        assertEquals(SequenceStore.Verdict.NEW, store.offer(peer(2), -1L, new byte[] {2}).offer().verdict());

        SequenceStore reopened = SequenceStore.open(home);
        assertEquals(5, reopened.lastSequence(peer(1)).orElseThrow());
        assertEquals(-1L, reopened.lastSequence(peer(2)).orElseThrow());
        assertEquals(SequenceStore.Verdict.REPEAT, reopened.offer(peer(1), 5, new byte[] {1}).offer().verdict());
        assertEquals(SequenceStore.Verdict.CONFLICT, reopened.offer(peer(1), 5, new byte[] {9}).offer().verdict());
        SequenceStore.Offer older = reopened.offer(peer(1), 4, new byte[] {1}).offer();
        assertEquals(SequenceStore.Verdict.OLDER, older.verdict());
        assertEquals(5, older.seen());

        List<String> lines = Files.readAllLines(home.resolve(SequenceStore.FILE));
        assertEquals(SequenceStore.HEADER, lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith(peer(2) + " 18446744073709551615 "), lines.get(2));
    }

    @Test
    void aDamagedSequencesFileIsRefusedWithAdviceToDeleteIt() throws IOException {
        Files.writeString(home.resolve(SequenceStore.FILE), SequenceStore.HEADER + "\nnot a line\n");
        IOException e = assertThrows(IOException.class, () -> SequenceStore.open(home));
        assertTrue(e.getMessage().contains("is damaged (line 2:"), e.getMessage());
        assertTrue(e.getMessage().contains("Delete it"), e.getMessage());

        Files.writeString(home.resolve(SequenceStore.FILE), "something else\n");
        e = assertThrows(IOException.class, () -> SequenceStore.open(home));
        assertTrue(e.getMessage().contains("does not begin with \"srudp-sequences-v1\""), e.getMessage());
    }

    @Test
    void theStoreForgetsTheLeastRecentlyUpdatedPeerBeyondItsBound() {
        SequenceStore store = SequenceStore.inMemory();
        for (int i = 0; i <= SequenceStore.MAX_PEERS; i++) {
            store.offer(peer(i), 1, new byte[] {1});
        }
        assertTrue(store.lastSequence(peer(0)).isEmpty());
        assertEquals(1, store.lastSequence(peer(1)).orElseThrow());
        assertEquals(1, store.lastSequence(peer(SequenceStore.MAX_PEERS)).orElseThrow());
    }
}
