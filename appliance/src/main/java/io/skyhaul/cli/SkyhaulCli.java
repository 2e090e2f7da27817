package io.skyhaul.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code skyhaul} command. */
@Command(name = "skyhaul", mixinStandardHelpOptions = true, versionProvider = SkyhaulCli.Version.class,
        description = "Accelerated file transfer over long, lossy links.",
        subcommands = {ServeCommand.class, LoginCommand.class, LsCommand.class, TransfersCommand.class, ReceiveCommand.class, SendCommand.class, GetCommand.class, KeygenCommand.class, SpoolCommand.class, GatewaysCommand.class},
        footer = ExitCodes.HELP)
public final class SkyhaulCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, login, send, get, ls, transfers, gateways, spool, receive or keygen (see --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SkyhaulCli());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("skyhaul: " + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    /** The version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"skyhaul " + io.skyhaul.server.BuildInfo.version(), "Java " + System.getProperty("java.version")};
        }
    }
}
