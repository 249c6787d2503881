package dev.oversight.common.callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where apps' callbacks may go: nowhere inside our own network. An app names the URL, so without this an app could
 * make Oversight send requests to its databases, its cloud metadata service or its own services (request forgery).
 *
 * <p>A URL is refused when its scheme is not https (http only where allowed), when it carries credentials, when its
 * host is one of our own services (checked first: the allowed list cannot let a callback reach them), or when the
 * host is, or resolves to, an address that is not globally reachable ({@link SpecialPurposeAddresses}: loopback,
 * private, shared, link-local, documentation, benchmarking, reserved, multicast, and IPv6 forms that embed such an
 * IPv4 address). Hosts listed as {@code host:port} (or {@code host:*}) in the allowed list skip the address checks. The check runs when the
 * decision is routed and again right before each delivery, on the addresses the name resolves to then (a name that
 * was public at route time and points inside later is refused then). The JVM caches the answer it checked
 * ({@code networkaddress.cache.ttl}, 30 s), so the connection that follows uses the addresses that were checked.
 */
public final class CallbackTargets {

    /** Resolves a host name to every address it has. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowHttp;
    private final Set<String> allowedHosts;
    private final Set<String> ownHosts;
    private final Resolver resolver;

    public CallbackTargets(boolean allowHttp, List<String> allowedHosts, Set<String> ownHosts, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.ownHosts = Set.copyOf(ownHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.resolver = resolver;
    }

    /** Why the URL may not receive callbacks, or empty when it may. Resolves the host name (blocking). */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of(allowHttp ? "must be an http(s) URL" : "must be an https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials");
        }
        host = host.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (ownHosts.contains(bare)) {
            return Optional.of("points at one of Oversight's own services");
        }
        if (allowedHosts.contains(host + ":" + port) || allowedHosts.contains(host + ":*")) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return Optional.of("has a host name that does not resolve");
        }
        if (addresses.length == 0) {
            return Optional.of("has a host name that does not resolve");
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                return Optional.of("resolves to an internal address (one that is not globally reachable: loopback,"
                        + " private, shared, link-local, documentation, reserved or multicast), which callbacks may not"
                        + " reach");
            }
        }
        return Optional.empty();
    }

    /** Not globally reachable: see {@link SpecialPurposeAddresses}. */
    static boolean internal(InetAddress a) {
        return !SpecialPurposeAddresses.globallyReachable(a);
    }
}
