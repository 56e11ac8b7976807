package dev.srudp.cli;

import dev.srudp.spi.PeerDirectories;
import dev.srudp.spi.PeerDirectory;
import dev.srudp.spi.PeerDirectoryProvider;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code srudp publish --directory URI}: publishes this peer's signed record to a peer directory
 * and prints the address partners follow.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish this peer's signed record to a peer directory and print the address partners use.",
            "For autonomi: see docs/discovery-autonomi.md (creating the pointer costs tokens and needs "
                    + "--setting allow-paid-create=true once)."})
final class PublishCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Option(names = "--directory", required = true, paramLabel = "URI",
            description = "Where to publish: autonomi: (a new pointer), autonomi:<pointer> (an existing one), "
                    + "or file:///path (a file the partner watches).")
    String directory;

    @Override
    public Integer call() throws Exception {
        int colon = directory.indexOf(':');
        if (colon <= 0) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, "--directory " + directory
                    + " names no directory: write autonomi:, autonomi:<pointer> or file:///path");
        }
        String scheme = directory.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        boolean file = "file".equals(scheme);
        // an address of a directory slot that exists already (not for file:, whose records name no slot)
        URI knownAddress = colon + 1 < directory.length() && !file ? URI.create(directory) : null;
        if (file) {
            session.settings.putIfAbsent("file", java.nio.file.Path.of(URI.create(directory)).toString());
        }
        PeerDirectoryProvider provider = PeerDirectories.load(getClass().getClassLoader(), System.err::println)
                .forUri(URI.create(scheme + ":x")).orElseThrow(() -> new ExitCodes.Failure(ExitCodes.USAGE,
                        "no peer directory serves '" + scheme + ":' addresses"));
        try (PeerDirectory dir = provider.create(session.settings)) {
            // a record names the address it is published at, so a copy moved elsewhere is refused;
            // a new directory slot's address is only known after a first publish
            URI published = publish(dir, session.signedRecord(null, knownAddress));
            if (knownAddress == null && !file) {
                published = publish(dir, session.signedRecord(null, published));
            }
            System.out.println(published);
            return ExitCodes.OK;
        } catch (java.io.IOException e) {
            throw new ExitCodes.Failure(ExitCodes.PARTNER, "publishing to " + directory + " failed: " + e.getMessage()
                    + Session.directoryHint(URI.create(scheme + ":x")));
        }
    }

    private static URI publish(PeerDirectory dir, byte[] record) throws Exception {
        try {
            return dir.publish(record).get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new java.io.IOException("the directory did not confirm the publication within 5 minutes");
        }
    }
}
