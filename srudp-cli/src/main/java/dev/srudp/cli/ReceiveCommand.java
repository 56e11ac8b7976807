package dev.srudp.cli;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.SrudpStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code srudp receive PARTNER}: never leaves a partial file under the final name. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Receive a file from a partner running 'srudp send'. The file appears under its name only "
                + "once complete and verified.")
final class ReceiveCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "Where to put the file (default: the current directory).")
    Path dir;

    @Option(names = "--force", description = "Replace an existing file of the same name.")
    boolean force;

    @Parameters(paramLabel = "PARTNER", description = "The partner's invitation, a file holding it, or a directory URI.")
    String partner;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, dir + " is not a directory");
        }
        try (Endpoint endpoint = session.open()) {
            Connection c = session.reach(endpoint, partner, System.err);
            SrudpStream stream = c.acceptStream();
            DataInputStream in = new DataInputStream(stream.getInputStream());
            OutputStream reply = stream.getOutputStream();
            Path part = null;
            try {
                FileTransfer.Header header = FileTransfer.readHeader(in);
                String name = FileTransfer.safeName(header.name());
                Path target = dir.resolve(name);
                if (Files.exists(target) && !force) {
                    throw new ExitCodes.Failure(ExitCodes.TRANSFER, target + " exists; use --force to replace it");
                }
                part = Files.createTempFile(dir, "." + name + ".", ".part");
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                Progress progress = new Progress(System.err, "received", header.size());
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buf = new byte[64 * 1024];
                    long remaining = header.size();
                    while (remaining > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                        if (n < 0) {
                            throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the partner stopped after "
                                    + (header.size() - remaining) + " of " + header.size() + " bytes");
                        }
                        out.write(buf, 0, n);
                        sha.update(buf, 0, n);
                        remaining -= n;
                        progress.update(header.size() - remaining);
                    }
                    progress.update(header.size());
                }
                byte[] expected = new byte[32];
                in.readFully(expected);
                if (!MessageDigest.isEqual(expected, sha.digest())) {
                    throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the file's SHA-256 does not match: discarded");
                }
                if (force) {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    try {
                        Files.createLink(target, part);
                        Files.delete(part);
                    } catch (FileAlreadyExistsException e) {
                        throw new ExitCodes.Failure(ExitCodes.TRANSFER, target + " appeared meanwhile; kept it");
                    } catch (UnsupportedOperationException | java.io.IOException e) {
                        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                part = null;
                reply.write("ok\n".getBytes(StandardCharsets.UTF_8));
                reply.close();
                System.err.println("srudp: received " + target + " (" + Progress.bytes(header.size())
                        + ", SHA-256 verified)");
            } catch (ExitCodes.Failure | EOFException e) {
                String reason = e instanceof EOFException ? "the partner's data ended early" : e.getMessage();
                reply.write(("error: " + reason + "\n").getBytes(StandardCharsets.UTF_8));
                reply.close();
                throw e instanceof ExitCodes.Failure f ? f : new ExitCodes.Failure(ExitCodes.TRANSFER, reason);
            } finally {
                if (part != null) {
                    Files.deleteIfExists(part);
                }
            }
            c.close();
            return ExitCodes.OK;
        }
    }
}
