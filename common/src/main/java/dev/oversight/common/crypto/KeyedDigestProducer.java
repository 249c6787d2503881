package dev.oversight.common.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The deployment's keyed digest ({@code oversight.digest-key}, a secret of at least 32 characters). */
@ApplicationScoped
public class KeyedDigestProducer {

    @Produces
    @ApplicationScoped
    KeyedDigest digest(@ConfigProperty(name = "oversight.digest-key") String key) {
        return new KeyedDigest(key);
    }
}
