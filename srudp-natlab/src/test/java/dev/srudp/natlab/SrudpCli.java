package dev.srudp.natlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the srudp command in the lab: srudp-cli/target/srudp.jar, built earlier in the same
 * reactor; when only the classes were built ({@code mvn test}), the test class path instead.
 */
final class SrudpCli {
    private static volatile String help;
    private static volatile String connectHelp;

    private SrudpCli() {
    }

    static Path jar() {
        return Path.of(System.getProperty("srudp.natlab.jar", "../srudp-cli/target/srudp.jar")).toAbsolutePath().normalize();
    }

    /** The java command line for {@code srudp args...}; no public STUN server is ever contacted. */
    static List<String> command(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Dsrudp.stun.default=none", "-XX:+UseSerialGC", "-Xmx512m"));
        if (Files.isRegularFile(jar())) {
            cmd.addAll(List.of("-jar", jar().toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.srudp.cli.Main"));
        }
        cmd.addAll(args);
        return cmd;
    }

    /** Whether {@code srudp connect} has an option (for example --stun, which arrives with STUN support). */
    static boolean connectHasOption(String option) throws IOException, InterruptedException {
        if (connectHelp == null) {
            connectHelp = NatLab.run(command(List.of("connect", "--help")), 60);
        }
        return connectHelp.contains(option);
    }

    /** Whether srudp has a subcommand (for example doctor). */
    static boolean hasCommand(String name) throws IOException, InterruptedException {
        if (help == null) {
            help = NatLab.run(command(List.of("--help")), 60);
        }
        return help.lines().anyMatch(l -> l.trim().startsWith(name + " ") || l.trim().equals(name));
    }
}
