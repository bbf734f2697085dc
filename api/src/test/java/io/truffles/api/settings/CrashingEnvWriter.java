package io.truffles.api.settings;

import java.nio.file.Path;
import java.util.Map;

/** A process that dies (SIGKILL-like halt: no finally, no shutdown hook) after writing the temporary .env, before the rename. */
public final class CrashingEnvWriter {
    public static void main(String[] args) throws Exception {
        new EnvFile(Path.of(args[0])).update(Map.of(args[1], args[2]), temporary -> {
            System.out.println("WRITTEN " + temporary);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        });
    }
}
