package dev.srudp.core.congestion;

import dev.srudp.CongestionControl;

/** Creates the congestion controller a connection is configured with. */
public final class CongestionControllers {
    private CongestionControllers() {
    }

    /** A new controller for a connection whose datagrams are at most {@code maxDatagramSize} bytes. */
    public static CongestionController create(CongestionControl mode, int maxDatagramSize) {
        return switch (mode) {
            case NEW_RENO -> new NewReno(maxDatagramSize);
            case LOSS_TOLERANT -> new Bbr(maxDatagramSize);
        };
    }
}
