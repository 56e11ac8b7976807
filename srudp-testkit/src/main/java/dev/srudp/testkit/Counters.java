package dev.srudp.testkit;

/** The live, mutable counterpart of {@link SimStats}. */
final class Counters {
    long sent;
    long delivered;
    long lost;
    long duplicated;
    long reordered;
    long droppedMtu;
    long droppedQueueFull;
    long droppedNoRoute;
    long droppedByTap;
    long droppedByMiddlebox;
    long injected;
    long bytesSent;
    long bytesDelivered;

    void addTo(Counters total) {
        total.sent += sent;
        total.delivered += delivered;
        total.lost += lost;
        total.duplicated += duplicated;
        total.reordered += reordered;
        total.droppedMtu += droppedMtu;
        total.droppedQueueFull += droppedQueueFull;
        total.droppedNoRoute += droppedNoRoute;
        total.droppedByTap += droppedByTap;
        total.droppedByMiddlebox += droppedByMiddlebox;
        total.injected += injected;
        total.bytesSent += bytesSent;
        total.bytesDelivered += bytesDelivered;
    }
}
