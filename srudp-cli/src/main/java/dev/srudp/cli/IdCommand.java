package dev.srudp.cli;

import dev.srudp.core.record.Fingerprint;
import dev.srudp.core.record.LocalIdentity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code srudp id}: creates or shows the identity. */
@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Create this peer's identity if there is none, and show it.")
final class IdCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Override
    public Integer call() throws Exception {
        boolean existed = session.store().exists();
        LocalIdentity local = session.identity();
        System.out.println("peer id:     " + local.peerId());
        System.out.println("fingerprint: " + Fingerprint.of(local.peerId()));
        System.out.println("port:        " + local.defaultPort());
        System.out.println("home:        " + session.store().home() + (existed ? "" : " (identity created)"));
        return ExitCodes.OK;
    }
}
