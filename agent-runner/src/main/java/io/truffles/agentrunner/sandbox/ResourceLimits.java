package io.truffles.agentrunner.sandbox;

/**
 * Per-agent caps bubblewrap does not give, set with {@code prlimit} on the sandboxed process tree. Processes count per
 * user, so with the dedicated agent user the cap is shared by that user's agents on this host.
 *
 * @param maxProcesses      RLIMIT_NPROC: a fork bomb stops here
 * @param maxFileSizeBytes  RLIMIT_FSIZE: no single file written larger
 * @param maxMemoryBytes    RLIMIT_AS: address space of each process
 * @param maxOpenFiles      RLIMIT_NOFILE
 */
public record ResourceLimits(int maxProcesses, long maxFileSizeBytes, long maxMemoryBytes, int maxOpenFiles) {
    public static ResourceLimits defaults() {
        return new ResourceLimits(512, 512L << 20, 8L << 30, 4096);
    }

    public ResourceLimits withMaxProcesses(int processes) {
        return new ResourceLimits(processes, maxFileSizeBytes, maxMemoryBytes, maxOpenFiles);
    }

    public ResourceLimits withMaxFileSizeBytes(long bytes) {
        return new ResourceLimits(maxProcesses, bytes, maxMemoryBytes, maxOpenFiles);
    }
}
