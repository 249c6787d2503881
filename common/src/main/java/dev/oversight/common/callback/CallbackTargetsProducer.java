package dev.oversight.common.callback;

import dev.oversight.common.outbox.OutboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The callback policy of this service: its configuration, with our own services always refused. A service is known by
 * its host and port; a host that is not a loopback name stands for all its ports (another port of our service's host
 * is still ours), while on localhost, where an app's receiver may share the host, only our ports are ours.
 */
@ApplicationScoped
public class CallbackTargetsProducer {

    @Produces
    @ApplicationScoped
    CallbackTargets targets(CallbacksConfig callbacks, OutboxConfig outbox) {
        Set<String> own = new HashSet<>();
        outbox.destinations().values().forEach(d -> d.url().ifPresent(url -> own.addAll(ownEntries(url))));
        return new CallbackTargets(callbacks.allowHttp(), callbacks.allowedHosts().orElse(List.of()), own,
                InetAddress::getAllByName);
    }

    static Set<String> ownEntries(java.net.URI url) {
        if (url.getHost() == null) {
            return Set.of();
        }
        String host = url.getHost().toLowerCase(java.util.Locale.ROOT).replaceAll("^\\[|\\]$", "");
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        return loopback ? Set.of(host + ":" + port) : Set.of(host, host + ":" + port);
    }
}
