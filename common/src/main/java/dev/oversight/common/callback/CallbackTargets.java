package dev.oversight.common.callback;

import java.net.Inet4Address;
import java.net.Inet6Address;
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
 * host is one of our own services, or when the host is, or resolves to, an address that is loopback, private
 * (RFC 1918, RFC 4193), link-local (169.254.0.0/16, fe80::/10), unspecified, multicast or in 0.0.0.0/8. Hosts listed
 * as {@code host:port} (or {@code host:*}) in the allowed list skip the address checks. The check runs when the
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
        if (allowedHosts.contains(host + ":" + port) || allowedHosts.contains(host + ":*")) {
            return Optional.empty();
        }
        if (ownHosts.contains(bare)) {
            return Optional.of("points at one of Oversight's own services");
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
                return Optional.of("resolves to an internal address (loopback, private, link-local, unspecified or"
                        + " multicast), which callbacks may not reach");
            }
        }
        return Optional.empty();
    }

    /** Loopback, private, link-local, unspecified, multicast, this-network, or a mapped form of those. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()
                || a.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xFF) == 0;
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) {
                return true; // fc00::/7, unique local (RFC 4193)
            }
            boolean mappedOrCompatible = true;
            for (int i = 0; i < 10; i++) {
                mappedOrCompatible &= b[i] == 0;
            }
            if (mappedOrCompatible && ((b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) || (b[10] == 0 && b[11] == 0))) {
                try {
                    InetAddress v4 = InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                    return internal(v4);
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
