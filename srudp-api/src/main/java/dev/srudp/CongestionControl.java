package dev.srudp;

/**
 * The congestion controllers a connection can be configured with.
 *
 * <p>Choose {@link #NEW_RENO} on shared links (the internet, office networks): it backs off on
 * every loss like TCP does and so competes fairly with TCP flows, but its throughput collapses
 * under random, non-congestive loss (roughly as 1/sqrt(loss rate)). Choose
 * {@link #LOSS_TOLERANT} on wireless, satellite or otherwise lossy links where packets are lost
 * without congestion: it paces at a measured bottleneck bandwidth and keeps its window through
 * random loss of up to about 10-20% of packets, at the price of being more aggressive than TCP
 * when it shares a bottleneck with loss-based flows.
 */
public enum CongestionControl {
    /** RFC 9002 NewReno, paced per RFC 9002, section 7.7. The default. */
    NEW_RENO,
    /** A BBR-like model-based controller that does not treat loss as congestion. */
    LOSS_TOLERANT
}
