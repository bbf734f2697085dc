package io.truffles.core.queue;

import java.net.InetAddress;

/** The {@code owner} a worker writes into leases: {@code service@host:pid}, so a person can find the process. */
public final class WorkerIdentity {
    private WorkerIdentity() {
    }

    public static String of(String service) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            host = "unknown-host";
        }
        return service + "@" + host + ":" + ProcessHandle.current().pid();
    }
}
