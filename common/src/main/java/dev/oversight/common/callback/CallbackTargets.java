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
 * IPv4 address). Hosts listed as {@code host:port} (or {@code host:*}) in the allowed list skip the address checks.
 * The check runs when the decision is routed and again right before each delivery, on the addresses the name resolves to then (a name that
 * was public at route time and points inside later is refused then). The check answers the address it checked
 * ({@link #check}), and the delivery connects to that address: the name is never resolved again between the check and
 * the connection, so a DNS answer that changes in between (rebinding) reaches nothing.
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

    /**
     * @param ownHosts our own services: {@code host} (every port of it) or {@code host:port}
     */
    public CallbackTargets(boolean allowHttp, List<String> allowedHosts, Set<String> ownHosts, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.ownHosts = Set.copyOf(ownHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.resolver = resolver;
    }

    /**
     * Where a callback may go: the URL's parts and the one address that was checked, to connect to exactly that (null
     * only for a listed host whose name does not resolve now); or why it may not ({@code refusal} set, the rest null).
     */
    public record Checked(String refusal, URI uri, String host, int port, boolean https, InetAddress address) {

        static Checked refused(String why) {
            return new Checked(why, null, null, 0, false, null);
        }

        /** The request target: path and query, "/" when the URL has none. */
        public String pathAndQuery() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    /**
     * Why the URL may not receive callbacks, or empty when it may. Resolves the host name (blocking), except for a
     * listed host, whose address only its delivery needs.
     */
    public Optional<String> refusal(String url) {
        return Optional.ofNullable(check(url, false).refusal());
    }

    /** The check, answering the address to connect to when the URL may receive callbacks. Resolves once (blocking). */
    public Checked check(String url) {
        return check(url, true);
    }

    private Checked check(String url, boolean forDelivery) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Checked.refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Checked.refused(allowHttp ? "must be an http(s) URL" : "must be an https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Checked.refused("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Checked.refused("must not carry credentials");
        }
        host = host.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (ownHosts.contains(bare) || ownHosts.contains(bare + ":" + port)) {
            return Checked.refused("points at one of Oversight's own services");
        }
        boolean listed = allowedHosts.contains(host + ":" + port) || allowedHosts.contains(host + ":*");
        if (listed && !forDelivery) {
            return new Checked(null, uri, bare, port, scheme.equals("https"), null);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            addresses = new InetAddress[0];
        }
        if (listed) {
            // Trusted by configuration: no address check; a name that does not resolve now fails its delivery only.
            return new Checked(null, uri, bare, port, scheme.equals("https"), addresses.length == 0 ? null : addresses[0]);
        }
        if (addresses.length == 0) {
            return Checked.refused("has a host name that does not resolve");
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                return Checked.refused("resolves to an internal address (one that is not globally reachable: loopback,"
                        + " private, shared, link-local, documentation, reserved or multicast), which callbacks may not"
                        + " reach");
            }
        }
        return new Checked(null, uri, bare, port, scheme.equals("https"), addresses[0]);
    }

    /** Not globally reachable: see {@link SpecialPurposeAddresses}. */
    static boolean internal(InetAddress a) {
        return !SpecialPurposeAddresses.globallyReachable(a);
    }
}
