package dev.srudp.discovery.autonomi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The one home of OkHttp and Jackson in this module: JSON requests to one gateway, answers read
 * with a size limit and parsed as a tree (no reflection on our classes).
 *
 * <p>Messages name the method, path and status; they never carry headers, because some headers
 * hold owner keys.
 */
public final class GatewayHttp {
    static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpUrl base;
    private final OkHttpClient client;
    private final long maxResponseBytes;

    /**
     * One exchange's outcome: the status and, for 2xx answers, the JSON body; {@code json} is null
     * for error answers and for bodies that are empty or not JSON.
     */
    public record Answer(int status, JsonNode json) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * @param base the gateway's base URL, for example {@code http://127.0.0.1:18888}
     * @param timeout the limit for one whole exchange (connect, write, read)
     * @param maxResponseBytes answers with longer bodies are refused
     */
    public GatewayHttp(java.net.URI base, Duration timeout, long maxResponseBytes) {
        HttpUrl url = HttpUrl.parse(base.toString());
        if (url == null) {
            throw new IllegalArgumentException("not an http or https URL: " + base);
        }
        this.base = url;
        this.maxResponseBytes = maxResponseBytes;
        this.client = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                // Retries are the directory's decision, with backoff; OkHttp must not add its own.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    public String base() {
        return base.toString();
    }

    /** Releases the client's threads and connections. */
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public Answer get(String path, Map<String, String> headers) throws IOException {
        return exchange("GET", path, headers, null);
    }

    public Answer send(String method, String path, Map<String, String> headers, JsonNode body) throws IOException {
        return exchange(method, path, headers, body);
    }

    private Answer exchange(String method, String path, Map<String, String> headers, JsonNode body) throws IOException {
        HttpUrl url = base.newBuilder().encodedPath(path).build();
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, null);
        } else {
            byte[] bytes = MAPPER.writeValueAsBytes(body);
            request.method(method, RequestBody.create(bytes, JSON));
        }
        String what = method + " " + path;
        try (Response response = client.newCall(request.build()).execute()) {
            int status = response.code();
            byte[] bytes = readLimited(response.body(), what);
            if (status < 200 || status >= 300) {
                // Error bodies (AntTP JSON, dweb HTML) are not parsed: the status says enough.
                return new Answer(status, null);
            }
            // A body that is not JSON leaves json null: an update needs only the status, a read
            // that needs the body reports it (see AntTpGateway.expect).
            return new Answer(status, parse(bytes));
        } catch (InterruptedIOException e) {
            throw new IOException(what + " timed out", e);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] readLimited(ResponseBody body, String what) throws IOException {
        long declared = body.contentLength();
        if (declared > maxResponseBytes) {
            throw new IOException(what + " answered with " + declared + " bytes, more than the limit of "
                    + maxResponseBytes + "; refused");
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (source.read(buffer, 8192) != -1) {
            if (buffer.size() > maxResponseBytes) {
                throw new IOException(what + " answered with more than the limit of " + maxResponseBytes
                        + " bytes; refused");
            }
        }
        return buffer.readByteArray();
    }
}
