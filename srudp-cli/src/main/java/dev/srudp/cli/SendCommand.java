package dev.srudp.cli;

import dev.srudp.Connection;
import dev.srudp.Endpoint;
import dev.srudp.SrudpStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code srudp send FILE PARTNER}. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send a file to a partner running 'srudp receive'; checked end to end with SHA-256.")
final class SendCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to send.")
    Path file;

    @Parameters(index = "1", paramLabel = "PARTNER", description = "The partner's invitation, a file holding it, or a directory URI.")
    String partner;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ExitCodes.Failure(ExitCodes.USAGE, "cannot read " + file + ": not a readable file");
        }
        long size = Files.size(file);
        try (Endpoint endpoint = session.open()) {
            Connection c = session.reach(endpoint, partner, System.err);
            SrudpStream stream = c.openStream();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Progress progress = new Progress(System.err, "sent", size);
            try (DataOutputStream out = new DataOutputStream(stream.getOutputStream());
                    InputStream in = Files.newInputStream(file)) {
                FileTransfer.writeHeader(out, file.getFileName().toString(), size);
                byte[] buf = new byte[64 * 1024];
                long done = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    done += n;
                    progress.update(done);
                }
                if (done != size) {
                    throw new ExitCodes.Failure(ExitCodes.TRANSFER, file + " changed while it was being sent");
                }
                progress.update(done);
                out.write(sha.digest());
            }
            BufferedReader reply = new BufferedReader(new InputStreamReader(stream.getInputStream(),
                    StandardCharsets.UTF_8));
            String answer = reply.readLine();
            c.close();
            if (!"ok".equals(answer)) {
                throw new ExitCodes.Failure(ExitCodes.TRANSFER, "the partner did not accept the file: "
                        + (answer == null ? "no answer" : answer));
            }
            System.err.println("srudp: " + file.getFileName() + " delivered and verified");
            return ExitCodes.OK;
        }
    }
}
