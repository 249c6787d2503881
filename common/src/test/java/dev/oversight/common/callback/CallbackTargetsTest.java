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
        "https://partner.internal:9443/"})
    void internalOrUnsafeTargets_areRefused(String url) {
        assertThat(production.refusal(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/hook", "https://hooks.example.com:8443/a?b=c",
        "https://v6.example.com/", "https://93.184.216.34/hook", "https://partner.internal:8443/hook"})
    void publicTargets_andListedHosts_areAccepted(String url) {
        assertThat(production.refusal(url)).as(url).isEmpty();
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
