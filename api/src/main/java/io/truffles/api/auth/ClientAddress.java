package io.truffles.api.auth;

import io.truffles.api.ApiConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address a login attempt is counted against. The peer of the connection, unless the peer is a configured trusted
 * proxy (nginx on this host): then the address that proxy appended to {@code X-Forwarded-For}, its last element. The
 * elements before it are whatever the client sent and could be rotated on every attempt, so they are never used.
 */
@Singleton
public class ClientAddress {
    private final Set<InetAddress> trustedProxies;

    @Inject
    ClientAddress(ApiConfig config) {
        this(config.trustedProxies());
    }

    /** @param trustedProxies IP literals (host names are refused: a DNS answer must not decide who is trusted) */
    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(ClientAddress::literal).map(address -> address.orElseThrow(() -> new IllegalArgumentException(
                        "truffles.api.trusted-proxies must list IP addresses, one was not: " + trustedProxies)))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param peer          the connection's remote address
     * @param forwardedFor  every {@code X-Forwarded-For} header value, in the order received
     */
    public String of(String peer, List<String> forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        if (!literal(peer).map(trustedProxies::contains).orElse(false)) {
            return peer;
        }
        String last = null;
        for (String header : forwardedFor) {
            for (String element : header.split(",")) {
                if (!element.isBlank()) {
                    last = element.strip();
                }
            }
        }
        // a trusted proxy that appended nothing is the client itself (a local tool calling the api directly)
        return last == null ? peer : literal(last).map(InetAddress::getHostAddress).orElse(last);
    }

    private static Optional<InetAddress> literal(String address) {
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (!bare.matches("[0-9A-Fa-f:.]+") || !(bare.contains(".") || bare.contains(":"))) {
            return Optional.empty();
        }
        try {
            // a literal of digits, dots and colons is parsed, never looked up
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException malformed) {
            return Optional.empty();
        }
    }
}
