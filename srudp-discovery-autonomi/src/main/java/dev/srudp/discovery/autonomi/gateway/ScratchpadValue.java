package dev.srudp.discovery.autonomi.gateway;

import java.util.Arrays;

/** A public scratchpad as a gateway reported it: its raw content and network counter. */
public record ScratchpadValue(byte[] content, long counter) {
    public ScratchpadValue {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScratchpadValue v && v.counter == counter && Arrays.equals(v.content, content);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(content) + Long.hashCode(counter);
    }

    @Override
    public String toString() {
        return "ScratchpadValue[" + content.length + " bytes, counter " + counter + "]";
    }
}
