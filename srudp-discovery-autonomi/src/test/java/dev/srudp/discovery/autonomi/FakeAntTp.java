package dev.srudp.discovery.autonomi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * An AntTP v0.25 gateway in a test: its REST paths and JSON (research note §2.1), in front of a
 * {@link FakeNetwork}, with the behaviours of its appendix, driven by an injected clock:
 *
 * <ul>
 *   <li>writes answer at once, update this gateway's cache, and reach the network only when their
 *       queued command runs ({@link #writeDelayMillis} later), or never ({@link #dropWrites});
 *   <li>a command whose data equals the previous command's is aborted;
 *   <li>cache entries are fresh for the TTL rounded up to whole seconds; a stale entry is served
 *       once more while it is refreshed from the network;
 *   <li>a missing pointer is cached for 50 s; a missing scratchpad is not cached.
 * </ul>
 */
final class FakeAntTp extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(JsonNode json, long fetchedMillis) {}

    private record Command(long dueMillis, String key, Runnable apply) {}

    private final FakeNetwork network;
    private final String appKey;
    private final LongSupplier clock;
    private final long ttlMillis;
    private final Map<String, Entry> cache = new HashMap<>();
    private final Map<String, Long> pointerMissingUntil = new HashMap<>();
    private final List<Command> commands = new ArrayList<>();
    private String lastCommandKey;

    long writeDelayMillis = 2_000;
    boolean dropWrites;
    boolean mutableTypes = true;
    int failNext;
    int failStatus = 502;
    int hangNext;
    String garbageNext;
    int oversizedNext;
    /** Every request: when (by the injected clock), method and path. */
    final List<Req> requests = new ArrayList<>();

    record Req(long atMillis, String line) {}

    FakeAntTp(FakeNetwork network, String appKey, LongSupplier clock, long ttlMillis) {
        this.network = network;
        this.appKey = appKey;
        this.clock = clock;
        this.ttlMillis = ttlMillis;
    }

    synchronized List<Req> requests(String linePrefix) {
        return requests.stream().filter(r -> r.line().startsWith(linePrefix)).toList();
    }

    String padAddress(String name) {
        return FakeNetwork.address(appKey, "scratchpad", name);
    }

    String pointerAddress(String name) {
        return FakeNetwork.address(appKey, "pointer", name);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        long now = clock.getAsLong();
        runDueCommands(now);
        String method = request.getMethod();
        String path = request.getUrl().encodedPath();
        requests.add(new Req(now, method + " " + path));
        if (hangNext > 0) {
            hangNext--;
            return new MockResponse.Builder().code(200).body("{}").headersDelay(3, TimeUnit.SECONDS).build();
        }
        if (failNext > 0) {
            failNext--;
            return error(failStatus, "{\"GetError\":{\"Network\":\"injected\"}}");
        }
        if (garbageNext != null) {
            String body = garbageNext;
            garbageNext = null;
            return ok(200, body);
        }
        if (oversizedNext > 0) {
            oversizedNext--;
            return ok(200, "{\"content\":\"" + "A".repeat(5 * 1024 * 1024) + "\"}");
        }
        try {
            return route(method, path, request, now);
        } catch (IOException e) {
            return error(400, "bad json");
        }
    }

    private MockResponse route(String method, String path, RecordedRequest request, long now) throws IOException {
        if (method.equals("GET") && path.equals("/api-docs/openapi.json")) {
            return ok(200, openApi());
        }
        if (!mutableTypes) {
            return error(404, "");
        }
        String[] parts = path.split("/");
        if (method.equals("POST") && path.equals("/anttp-0/public_scratchpad")) {
            JsonNode body = body(request);
            String name = body.path("name").asText();
            String address = padAddress(name);
            byte[] content = Base64.getDecoder().decode(body.path("content").asText());
            ObjectNode answer = JSON.createObjectNode().put("name", name).put("address", address)
                    .putNull("data_encoding").putNull("signature").put("content", body.path("content").asText());
            answer.putNull("counter");
            cache.put("pad/" + address, new Entry(padJson(address, content, 0), now));
            queue(now, "pad/" + address + "/" + body.path("content").asText(), () -> network.createPad(address, content));
            return ok(200, answer.toString());
        }
        if (method.equals("PUT") && parts.length == 5 && parts[2].equals("public_scratchpad")) {
            String address = parts[3];
            if (!address.equals(padAddress(parts[4]))) {
                return error(400, "{\"UpdateError\":\"address not derived from name\"}");
            }
            JsonNode body = body(request);
            byte[] content = Base64.getDecoder().decode(body.path("content").asText());
            long shownCounter = network.pad(address).map(p -> p.counter() + 1).orElse(0L);
            cache.put("pad/" + address, new Entry(padJson(address, content, shownCounter), now));
            queue(now, "pad/" + address + "/" + body.path("content").asText(), () -> network.pad(address)
                    .ifPresent(old -> network.putPad(address, content, old.counter() + 1)));
            return ok(200, padJson(address, content, shownCounter).toString());
        }
        if (method.equals("GET") && parts.length == 4 && parts[2].equals("public_scratchpad")) {
            String address = parts[3];
            return cachedRead("pad/" + address, now, () -> network.pad(address)
                    .map(p -> padJson(address, p.content(), p.counter())).orElse(null), false);
        }
        if (method.equals("POST") && path.equals("/anttp-0/pointer")) {
            JsonNode body = body(request);
            String name = body.path("name").asText();
            String target = body.path("content").asText();
            String address = pointerAddress(name);
            cache.put("ptr/" + address, new Entry(pointerJson(address, target, 0), now));
            pointerMissingUntil.remove(address);
            queue(now, "ptr/" + address + "/" + target, () -> network.createPointer(address, target));
            ObjectNode answer = JSON.createObjectNode().put("name", name).put("content", target).put("address", address);
            answer.putNull("counter");
            answer.putNull("cost");
            return ok(201, answer.toString());
        }
        if (method.equals("GET") && parts.length == 4 && parts[2].equals("pointer")) {
            String address = parts[3].matches("[0-9a-f]{96}") ? parts[3] : pointerAddress(parts[3]);
            Long missingUntil = pointerMissingUntil.get(address);
            if (missingUntil != null && now < missingUntil && !cache.containsKey("ptr/" + address)) {
                return error(404, "{\"GetError\":{\"RecordNotFound\":\"cached\"}}");
            }
            return cachedRead("ptr/" + address, now, () -> network.pointer(address)
                    .map(p -> pointerJson(address, p.target(), p.counter())).orElse(null), true);
        }
        return error(404, "");
    }

    private interface Fetch {
        JsonNode fetch();
    }

    private MockResponse cachedRead(String key, long now, Fetch fetch, boolean negativeCache) {
        Entry entry = cache.get(key);
        if (entry != null) {
            if (now >= expiry(entry.fetchedMillis)) {
                // stale-while-revalidate: this answer is the old entry; the refresh lands after it
                JsonNode fresh = fetch.fetch();
                if (fresh != null) {
                    cache.put(key, new Entry(fresh, now));
                }
            }
            return ok(200, entry.json.toString());
        }
        JsonNode fresh = fetch.fetch();
        if (fresh == null) {
            if (negativeCache) {
                pointerMissingUntil.put(key.substring(4), now + 50_000);
            }
            return error(404, "{\"GetError\":{\"RecordNotFound\":\"not found\"}}");
        }
        cache.put(key, new Entry(fresh, now));
        return ok(200, fresh.toString());
    }

    /** "Cache expiry is in whole seconds: with TTL 5 an entry is fresh for 5 to 6 s." */
    private long expiry(long fetchedMillis) {
        return (fetchedMillis / 1000) * 1000 + ttlMillis + 1000;
    }

    private void queue(long now, String key, Runnable apply) {
        if (key.equals(lastCommandKey)) {
            return; // aborted as a duplicate of the previous command
        }
        lastCommandKey = key;
        if (!dropWrites) {
            commands.add(new Command(now + writeDelayMillis, key, apply));
        }
    }

    private void runDueCommands(long now) {
        commands.removeIf(c -> {
            if (c.dueMillis <= now) {
                c.apply.run();
                return true;
            }
            return false;
        });
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        if (request.getBody() == null || !String.valueOf(request.getHeaders().get("Content-Type")).startsWith("application/json")) {
            throw new IOException("needs a JSON body");
        }
        return JSON.readTree(request.getBody().utf8());
    }

    private static ObjectNode padJson(String address, byte[] content, long counter) {
        ObjectNode n = JSON.createObjectNode();
        n.putNull("name");
        n.put("address", address).put("data_encoding", 1).put("signature", "c2ln")
                .put("content", Base64.getEncoder().encodeToString(content)).put("counter", counter);
        return n;
    }

    private static ObjectNode pointerJson(String address, String target, long counter) {
        ObjectNode n = JSON.createObjectNode();
        n.putNull("name");
        n.put("content", target).put("address", address).put("counter", counter);
        n.putNull("cost");
        return n;
    }

    private String openApi() {
        ObjectNode paths = JSON.createObjectNode();
        paths.putObject("/anttp-0/chunk");
        paths.putObject("/anttp-0/chunk/{address}");
        if (mutableTypes) {
            paths.putObject("/anttp-0/pointer");
            paths.putObject("/anttp-0/pointer/{address}");
            paths.putObject("/anttp-0/public_scratchpad");
            paths.putObject("/anttp-0/public_scratchpad/{address}");
            paths.putObject("/anttp-0/public_scratchpad/{address}/{name}");
        }
        ObjectNode doc = JSON.createObjectNode().put("openapi", "3.1.0");
        doc.set("paths", paths);
        return doc.toString();
    }

    private static MockResponse ok(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse error(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }
}
