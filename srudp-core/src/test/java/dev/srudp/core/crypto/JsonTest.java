package dev.srudp.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsNestedObjectsArraysStringsNumbersAndLiterals() {
        Object value = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": \"x\\n\\u0041\\\"\"} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(java.util.Arrays.asList(1.0, -25.0, true, false, null), map.get("a"));
        assertEquals("x\nA\"", map.get("b"));
        assertEquals(List.of(), Json.parse("[]"));
    }

    @Test
    void refusesMalformedInput() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "\"unterminated", "tru", "01", "1.",
                "{\"a\":1} x", "\"bad \\q escape\"", "{\"a\":1,\"a\":2}", "[1 2]", "{a:1}"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
