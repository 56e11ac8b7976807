package dev.srudp.core.net;

/** A test engine with no timers that keeps the loop's wakeup for the test to call. */
abstract class TimerlessEngine implements Engine {
    volatile Runnable wakeup = () -> { };

    @Override
    public long nextTimeoutNanos() {
        return NO_TIMEOUT;
    }

    @Override
    public void onTimeout(long now) {
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }
}
