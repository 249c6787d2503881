package dev.oversight.audit.service;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

@ConfigMapping(prefix = "audit")
public interface AuditConfig {

    Sequencer sequencer();

    Checkpoint checkpoint();

    TreeCache treeCache();

    Tiles tiles();

    /** The log served as C2SP tlog-tiles under {@code /tile/}. */
    interface Tiles {
        /**
         * Serve tiles and entry bundles without a token: only for a log meant to be public, because entries name
         * people and use cases. By default they need an auditor's or admin's token, like the rest of the log.
         */
        @io.smallrye.config.WithName("public")
        @io.smallrye.config.WithDefault("false")
        boolean open();
    }

    /**
     * Which services may append events ({@code POST /v1/events}), by the name their token carries: one identity per
     * service.
     */
    @io.smallrye.config.WithDefault("routing-service,review-service")
    java.util.List<String> eventProducers();

    /** Upper tree nodes kept in memory for proofs (see {@code NodeCache}); about 100 bytes each. */
    interface TreeCache {
        /**
         * The lowest level kept: 4 keeps one node in sixteen (n/8 of a log of n events), so that a proof reads four
         * nodes from storage.
         */
        @io.smallrye.config.WithDefault("4")
        int minLevel();

        /** At most this many nodes (0 turns the cache off); past it the lowest kept level is dropped. */
        @io.smallrye.config.WithDefault("200000")
        int maxNodes();
    }

    /**
     * The log's origin: the first line of its C2SP checkpoints and the name of its note key, a schema-less URL such
     * as {@code oversight.example.com/claims}.
     */
    @io.smallrye.config.WithDefault("oversight.local/audit")
    String origin();

    /** Witnesses that cosign our checkpoints (C2SP tlog-witness): each one's submission URL prefix and vkey. */
    java.util.Optional<java.util.List<WitnessConfig>> witnesses();

    /** How often new checkpoints are offered to the witnesses ("off" to stop). */
    @io.smallrye.config.WithDefault("10s")
    String witnessInterval();

    interface WitnessConfig {
        /** The witness's submission prefix; the log POSTs to {@code <url>/add-checkpoint}. */
        String url();

        /** The witness's cosigning key as a C2SP vkey ({@code name+keyid+base64(0x04||key)}). */
        String vkey();
    }

    interface Sequencer {
        /** The most events one append transaction carries. */
        int maxBatch();

        /** Events waiting to be appended before new ones are turned away with 503. */
        int queueCapacity();
    }

    interface Checkpoint {
        /** How often a new checkpoint is signed when the log has grown. */
        Duration interval();

        /** PEM file with the Ed25519 private key (PKCS#8) and public key (X.509). */
        String keyFile();

        /** Create the key file when it is missing (development only). */
        boolean generateKey();

        /**
         * PEM files of earlier checkpoint keys' public halves: checkpoints they signed still verify after the key
         * is rotated, each against the key whose id it names. Only keys listed here (and the current one) count.
         */
        java.util.Optional<java.util.List<String>> trustedPublicKeys();
    }
}
