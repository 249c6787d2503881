package dev.oversight.console.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

@ConfigMapping(prefix = "oversight.console")
public interface ConsoleConfig {

    /**
     * The local stack's development sign-in (a name and a role, no password). Off unless set; refused by the prod
     * profile. Never turn it on where anyone but you can reach the console.
     */
    @WithName("dev-sign-in")
    @WithDefault("false")
    boolean devSignIn();

    /** The private key (PEM, PKCS#8) development tokens are signed with: the local stack's key under .local/jwt/. */
    @WithName("dev-sign-in-key")
    @WithDefault(".local/jwt/private.pem")
    String devSignInKey();

    /** Issuer and audience of development tokens: what the services check. */
    @WithName("dev-token-issuer")
    @WithDefault("https://oversight.local")
    String devTokenIssuer();

    @WithName("dev-token-audience")
    @WithDefault("oversight")
    String devTokenAudience();

    @WithName("dev-session")
    @WithDefault("8h")
    Duration devSession();

    /** Rows per page in lists. */
    @WithName("page-size")
    @WithDefault("25")
    int pageSize();
}
