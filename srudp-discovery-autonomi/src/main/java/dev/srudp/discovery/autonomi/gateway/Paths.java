package dev.srudp.discovery.autonomi.gateway;

import java.util.regex.Pattern;

final class Paths {
    /** Names are ours (settings); they are restricted so they never need escaping in a path. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]{1,128}");

    private Paths() {}

    static String segment(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("a slot name is 1 to 128 of A-Z a-z 0-9 . _ ~ -");
        }
        return name;
    }

    static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
