package io.truffles.agentrunner.sandbox;

/**
 * Per-agent caps bubblewrap does not give. {@code prlimit} sets the per-process ones on the sandboxed process tree;
 * where systemd runs the host, a {@link SystemdScope} also caps the agent as a whole. Processes count per user, so
 * with the dedicated agent user the {@code prlimit} process cap is shared by that user's agents on this host.
 *
 * @param maxProcesses         RLIMIT_NPROC (and the scope's TasksMax): a fork bomb stops here
 * @param maxFileSizeBytes     RLIMIT_FSIZE: no single file written larger
 * @param maxMemoryBytes       RLIMIT_AS: address space of each process (generous: the CLI's runtime reserves much
 *                             more than it uses)
 * @param maxOpenFiles         RLIMIT_NOFILE
 * @param maxScopeMemoryBytes  the scope's MemoryMax: memory of all the agent's processes together
 * @param maxWorkspaceBytes    what the agent's checkout and HOME may hold together; past it the agent is stopped
 *                             (checked every {@code WorkspaceGrowth.EVERY})
 */
public record ResourceLimits(int maxProcesses, long maxFileSizeBytes, long maxMemoryBytes, int maxOpenFiles,
        long maxScopeMemoryBytes, long maxWorkspaceBytes) {
    public static final long DEFAULT_WORKSPACE = 4L << 30;

    public ResourceLimits(int maxProcesses, long maxFileSizeBytes, long maxMemoryBytes, int maxOpenFiles,
            long maxScopeMemoryBytes) {
        this(maxProcesses, maxFileSizeBytes, maxMemoryBytes, maxOpenFiles, maxScopeMemoryBytes, DEFAULT_WORKSPACE);
    }

    /** The seed sizes an agent at 1–2 GB. */
    public static final long DEFAULT_SCOPE_MEMORY = 2L << 30;

    public ResourceLimits(int maxProcesses, long maxFileSizeBytes, long maxMemoryBytes, int maxOpenFiles) {
        this(maxProcesses, maxFileSizeBytes, maxMemoryBytes, maxOpenFiles, DEFAULT_SCOPE_MEMORY);
    }

    public static ResourceLimits defaults() {
        return new ResourceLimits(512, 512L << 20, 8L << 30, 4096, DEFAULT_SCOPE_MEMORY, DEFAULT_WORKSPACE);
    }

    public ResourceLimits withMaxProcesses(int processes) {
        return new ResourceLimits(processes, maxFileSizeBytes, maxMemoryBytes, maxOpenFiles, maxScopeMemoryBytes,
                maxWorkspaceBytes);
    }

    public ResourceLimits withMaxFileSizeBytes(long bytes) {
        return new ResourceLimits(maxProcesses, bytes, maxMemoryBytes, maxOpenFiles, maxScopeMemoryBytes,
                maxWorkspaceBytes);
    }

    public ResourceLimits withMaxWorkspaceBytes(long bytes) {
        return new ResourceLimits(maxProcesses, maxFileSizeBytes, maxMemoryBytes, maxOpenFiles, maxScopeMemoryBytes,
                bytes);
    }
}
