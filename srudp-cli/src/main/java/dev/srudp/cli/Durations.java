package dev.srudp.cli;

import java.time.Duration;

/** Durations as people type them: 500ms, 30s, 2m, 24h, 7d. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String text, String option) throws ExitCodes.Failure {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text, option);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return positive(switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            }, text, option);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, option + " " + text
                    + " is not a duration: write a number with ms, s, m, h or d, e.g. 30s or 2m");
        }
    }

    private static Duration positive(Duration d, String text, String option) throws ExitCodes.Failure {
        if (d.isZero() || d.isNegative()) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, option + " " + text + " must be positive");
        }
        return d;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
