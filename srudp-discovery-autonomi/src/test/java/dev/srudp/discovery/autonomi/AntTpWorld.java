package dev.srudp.discovery.autonomi;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import mockwebserver3.MockWebServer;

/**
 * Two peers, each with its own fake AntTP (cache, command queue, app key) on one fake network and
 * one manual clock. Directories call their watchers on the test thread.
 */
final class AntTpWorld implements AutoCloseable {
    static final long START_MILLIS = 1_790_000_000_000L;

    final ManualScheduler clock = new ManualScheduler(START_MILLIS);
    final FakeNetwork network = new FakeNetwork();
    final FakeAntTp gatewayA = new FakeAntTp(network, "key-a", clock::nowMillis, 5_000);
    final FakeAntTp gatewayB = new FakeAntTp(network, "key-b", clock::nowMillis, 5_000);
    private final MockWebServer serverA = new MockWebServer();
    private final MockWebServer serverB = new MockWebServer();
    private final List<AutonomiDirectory> opened = new ArrayList<>();

    AntTpWorld() throws IOException {
        serverA.setDispatcher(gatewayA);
        serverB.setDispatcher(gatewayB);
        serverA.start();
        serverB.start();
    }

    AutonomiConfig.Builder configA() {
        return AutonomiConfig.builder().gateway(URI.create(serverA.url("/").toString())).timeout(Duration.ofMillis(500));
    }

    AutonomiConfig.Builder configB() {
        return AutonomiConfig.builder().gateway(URI.create(serverB.url("/").toString())).timeout(Duration.ofMillis(500));
    }

    AutonomiDirectory peerA(UnaryOperator<AutonomiConfig.Builder> settings) throws IOException {
        return open(settings.apply(configA()).build());
    }

    AutonomiDirectory peerB(UnaryOperator<AutonomiConfig.Builder> settings) throws IOException {
        return open(settings.apply(configB()).build());
    }

    AutonomiDirectory open(AutonomiConfig config) throws IOException {
        AutonomiDirectory d = AutonomiDirectory.open(config, clock.view(), Runnable::run, () -> {}, new Random(7));
        opened.add(d);
        return d;
    }

    /** Advances the clock a second at a time until the future is done, for at most {@code limit}. */
    <T> T await(CompletableFuture<T> future, Duration limit) throws Exception {
        for (long waited = 0; !future.isDone() && waited <= limit.toMillis(); waited += 1000) {
            clock.advance(Duration.ofSeconds(1));
        }
        if (!future.isDone()) {
            throw new AssertionError("not done within " + limit + " of fake time");
        }
        return future.get();
    }

    @Override
    public void close() {
        for (AutonomiDirectory c : opened) {
            c.close();
        }
        serverA.close();
        serverB.close();
    }
}
