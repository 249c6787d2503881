package dev.oversight.common.callback;

import dev.oversight.common.outbox.OutboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The callback policy of this service: its configuration, with our own services' hosts always refused. */
@ApplicationScoped
public class CallbackTargetsProducer {

    @Produces
    @ApplicationScoped
    CallbackTargets targets(CallbacksConfig callbacks, OutboxConfig outbox) {
        Set<String> own = new HashSet<>();
        outbox.destinations().values().forEach(d -> d.url().map(java.net.URI::getHost).ifPresent(own::add));
        return new CallbackTargets(callbacks.allowHttp(), callbacks.allowedHosts().orElse(List.of()), own,
                InetAddress::getAllByName);
    }
}
