package dev.srudp.cli;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.SrudpStream;
import dev.srudp.core.record.Fingerprint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code srudp chat}: line chat with a partner. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat line by line with a partner. End with Ctrl-D (end of input).")
final class ChatCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Parameters(paramLabel = "PARTNER", description = "The partner's invitation, a file holding it, or a directory URI.")
    String partner;

    @Override
    public Integer call() throws Exception {
        try (Endpoint endpoint = session.open()) {
            Connection c = session.reach(endpoint, partner, System.err);
            String name = Fingerprint.of(c.peer()).substring(0, 9);
            SrudpStream stream = c.isInitiator() ? c.openStream() : c.acceptStream();
            CompletableFuture<Void> typing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = stream.getOutputStream();
                        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            BufferedReader peer = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = peer.readLine()) != null) {
                System.out.println(name + "> " + line);
            }
            System.err.println("srudp: the partner left the chat");
            typing.cancel(false);
            c.close();
            return ExitCodes.OK;
        }
    }
}
