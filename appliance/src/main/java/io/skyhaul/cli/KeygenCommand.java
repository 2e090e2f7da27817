package io.skyhaul.cli;

import io.skyhaul.transport.ticket.PreSharedKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Write a new random 256-bit pre-shared key to a file readable only by you.",
        footer = ExitCodes.HELP)
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "KEY", description = "File to create (refuses to overwrite an existing one).")
    Path out;

    @Override
    public Integer call() {
        try {
            PreSharedKey.generate(new SecureRandom()).writeNew(out);
        } catch (PreSharedKey.KeyFileException e) {
            System.err.println("skyhaul keygen: " + e.getMessage());
            return ExitCodes.KEY_PROBLEM;
        }
        System.err.println("wrote a new key to " + out + " (mode 0600); copy it to the other side over a secure channel");
        return ExitCodes.OK;
    }
}
