package dev.srudp.cli;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.SrudpStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code srudp connect}: like netcat over a secure stream. Run on both sides; either may start
 * first. Standard input goes to the partner (its end is sent as FIN), the partner's data goes to
 * standard output until the partner finishes.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"Connect to a partner and pipe standard input and output over a secure stream.",
            "Run it on both sides, each with the other's invitation; either side may start first."})
final class ConnectCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Option(names = "--invite", description = "Print this peer's invitation on standard error first.")
    boolean printInvite;

    @Parameters(paramLabel = "PARTNER", description = "The partner's invitation, a file holding it, or a directory URI.")
    String partner;

    @Override
    public Integer call() throws Exception {
        try (Endpoint endpoint = session.open()) {
            if (printInvite) {
                Session.awaitFirstGathering(endpoint);
                System.err.println(session.invitation(endpoint));
            }
            Connection c = session.reach(endpoint, partner, System.err);
            SrudpStream stream = c.isInitiator() ? c.openStream() : c.acceptStream();
            pipe(stream, System.in, System.out);
            c.close();
            return ExitCodes.OK;
        }
    }

    /** Copies {@code in} to the stream (then FIN) while copying the stream to {@code out}. */
    static void pipe(SrudpStream stream, InputStream in, OutputStream out) throws Exception {
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
            try (OutputStream s = stream.getOutputStream()) {
                in.transferTo(s);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        InputStream s = stream.getInputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = s.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (s.available() == 0) {
                out.flush();
            }
        }
        out.flush();
        try {
            upload.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new ExitCodes.Failure(ExitCodes.TRANSFER, "sending failed: " + e.getCause().getMessage());
        }
    }
}
