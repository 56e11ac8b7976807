package dev.srudp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code srudp} command. */
@Command(name = "srudp", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Secure, reliable connections between peers over UDP.",
        subcommands = {IdCommand.class, InviteCommand.class, PublishCommand.class, ConnectCommand.class, SendCommand.class,
            ReceiveCommand.class, ChatCommand.class, DemoCommand.class, BenchCommand.class, DoctorCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:unexpected internal error",
            "2:invalid command line",
            "3:identity problem (missing, corrupt or unsafe key file)",
            "4:invalid partner (bad rendezvous string, record refused)",
            "5:could not connect (timeout, unreachable)",
            "6:authentication failed (the partner is not who was expected)",
            "7:transfer failed (connection lost, integrity check failed)"})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // library warnings (a malformed partner file, a gateway hiccup) as one plain line each
        System.setProperty("java.util.logging.SimpleFormatter.format", "srudp: %4$s: %5$s%6$s%n");
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("srudp: " + ExitCodes.describe(e));
            return ExitCodes.of(e);
        });
        return cli.execute(args);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"srudp " + (v == null ? "(development build)" : v)};
        }
    }
}
