package dev.srudp.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code srudp invite}: prints this peer's rendezvous string. */
@Command(name = "invite", mixinStandardHelpOptions = true,
        description = {"Print this peer's invitation: a signed rendezvous string to give the partner.",
            "It names this identity's own UDP port, so it stays valid across runs until it expires."})
final class InviteCommand implements Callable<Integer> {
    @Mixin
    Session session;

    @Override
    public Integer call() throws Exception {
        String invitation = session.invitation(null);
        if (session.publish != null) {
            session.writePublished(invitation);
        }
        System.out.println(invitation);
        return ExitCodes.OK;
    }
}
