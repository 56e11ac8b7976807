package dev.srudp.discovery.manual;

import java.util.ArrayList;
import java.util.List;

/** Every single-character change of a string: substitutions, deletions, insertions, swaps. */
final class Edits {
    /** Characters put in by substitutions and insertions: the alphabet, a dash, look-alikes. */
    static final String REPLACEMENTS = RendezvousCodec.ALPHABET + "-oilu";

    /** One change; {@code position} is the 1-based position of the changed character. */
    record Edit(String kind, int position, String result) {}

    private Edits() {}

    static List<Edit> all(String text) {
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            edits.add(deletion(text, i));
            if (i + 1 < text.length()) {
                edits.add(transposition(text, i));
            }
            for (char c : REPLACEMENTS.toCharArray()) {
                if (c != text.charAt(i)) {
                    edits.add(substitution(text, i, c));
                }
                edits.add(insertion(text, i, c));
            }
        }
        for (char c : REPLACEMENTS.toCharArray()) {
            edits.add(insertion(text, text.length(), c));
        }
        return edits;
    }

    static Edit substitution(String text, int i, char c) {
        return new Edit("substitution of '" + text.charAt(i) + "' by '" + c + "'", i + 1,
                text.substring(0, i) + c + text.substring(i + 1));
    }

    static Edit deletion(String text, int i) {
        return new Edit("deletion of '" + text.charAt(i) + "'", i + 1, text.substring(0, i) + text.substring(i + 1));
    }

    static Edit insertion(String text, int i, char c) {
        return new Edit("insertion of '" + c + "'", i + 1, text.substring(0, i) + c + text.substring(i));
    }

    static Edit transposition(String text, int i) {
        return new Edit("swap of '" + text.charAt(i) + "' and '" + text.charAt(i + 1) + "'", i + 1,
                text.substring(0, i) + text.charAt(i + 1) + text.charAt(i) + text.substring(i + 2));
    }
}
