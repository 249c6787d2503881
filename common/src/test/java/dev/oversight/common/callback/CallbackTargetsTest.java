package dev.oversight.common.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Callbacks never reach inside our network, whatever URL an app gives. */
class CallbackTargetsTest {

    /** Names resolve to what the test says; anything else does not resolve. */
    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "rebound.example.com", "10.0.0.7",
            "mixed.example.com", "93.184.216.34,127.0.0.1",
            "v6.example.com", "2606:2800:220:1:248:1893:25c8:1946",
            "audit-service", "203.0.113.5");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String ips = DNS.get(host);
        if (ips == null) {
            // Literal addresses resolve to themselves, as InetAddress does.
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        String[] parts = ips.split(",");
        InetAddress[] out = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = InetAddress.getByName(parts[i]);
        }
        return out;
    }

    private final CallbackTargets production = new CallbackTargets(false, List.of("partner.internal:8443"),
            Set.of("audit-service"), CallbackTargetsTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/hook", "https://127.0.0.1/hook", "https://127.1.2.3:8080/", "https://[::1]/",
        "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.1.1/", "https://[fd12:3456::1]/",
        "https://[fc00::1]/", "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/", "https://0.0.0.0/",
        "https://0.1.2.3/", "https://[::]/", "https://224.0.0.1/", "https://[ff02::1]/", "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:10.0.0.1]/", "https://rebound.example.com/hook", "https://mixed.example.com/hook",
        "https://audit-service/v1/events", "https://nowhere.invalid/hook", "ftp://hooks.example.com/",
        "http://hooks.example.com/hook", "https://user:pw@hooks.example.com/hook", "https:///nohost",
        "https://partner.internal:9443/",
        // Not globally reachable by the IANA special-purpose registries: shared (CGN), benchmarking, reserved,
        // broadcast, IETF protocol assignments, documentation, and IPv6 forms that lead to internal IPv4.
        "https://100.64.0.1/", "https://100.127.255.254/", "https://198.18.0.1/", "https://198.19.255.1/",
        "https://240.0.0.1/", "https://255.255.255.255/", "https://192.0.0.8/", "https://192.0.2.1/",
        "https://198.51.100.7/", "https://203.0.113.9/", "https://192.88.99.1/", "https://[64:ff9b::a00:1]/",
        "https://[64:ff9b::7f00:1]/", "https://[2002:7f00:1::]/", "https://[2002:a00:1::1]/", "https://[2001:db8::1]/",
        "https://[100::1]/", "https://[3fff::1]/", "https://[64:ff9b:1::1]/", "https://[2001::1]/",
        "https://[5f00::1]/", "https://[::a00:1]/"})
    void internalOrUnsafeTargets_areRefused(String url) {
        assertThat(production.refusal(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/hook", "https://hooks.example.com:8443/a?b=c",
        "https://v6.example.com/", "https://93.184.216.34/hook", "https://partner.internal:8443/hook",
        "https://8.8.8.8/", "https://100.128.0.1/", "https://198.20.0.1/", "https://192.31.196.1/",
        "https://[64:ff9b::5db8:d822]/", "https://[2002:5db8:d822::1]/", "https://[2a00:1450:4001::1]/"})
    void publicTargets_andListedHosts_areAccepted(String url) {
        assertThat(production.refusal(url)).as(url).isEmpty();
    }

    @Test
    void ourOwnServices_areRefusedEvenWhenTheAllowedListNamesThem() {
        CallbackTargets careless = new CallbackTargets(true, List.of("audit-service:*", "audit-service:443"),
                Set.of("audit-service"), CallbackTargetsTest::resolve);
        assertThat(careless.refusal("https://audit-service/v1/events")).contains("points at one of Oversight's own services");
        assertThat(careless.refusal("http://audit-service:8093/v1/events")).isPresent();
    }

    @Test
    void onLocalhost_onlyOurOwnPortsAreOurs_elsewhereEveryPortOfOurHostIs() {
        Set<String> own = new java.util.HashSet<>();
        own.addAll(CallbackTargetsProducer.ownEntries(java.net.URI.create("http://localhost:8093")));
        own.addAll(CallbackTargetsProducer.ownEntries(java.net.URI.create("http://audit-service:8093")));
        CallbackTargets local = new CallbackTargets(true, List.of("localhost:*", "audit-service:*"), own,
                CallbackTargetsTest::resolve);
        assertThat(local.refusal("http://localhost:8093/v1/events")).contains("points at one of Oversight's own services");
        assertThat(local.refusal("http://localhost:9123/hook")).isEmpty();
        assertThat(local.refusal("http://audit-service:9000/q/metrics")).contains("points at one of Oversight's own services");
    }

    @Test
    void httpOnlyWhereAllowed_andAHostWildcardCoversEveryPort() {
        CallbackTargets local = new CallbackTargets(true, List.of("localhost:*"), Set.of(),
                CallbackTargetsTest::resolve);
        assertThat(local.refusal("http://hooks.example.com/hook")).isEmpty();
        assertThat(local.refusal("http://localhost:8123/hook")).isEmpty();
        assertThat(local.refusal("http://127.0.0.1:8123/hook")).isPresent();
        assertThat(production.refusal("http://hooks.example.com/hook")).contains("must be an https URL");
    }
}
