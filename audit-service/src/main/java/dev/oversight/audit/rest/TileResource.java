package dev.oversight.audit.rest;

import dev.oversight.audit.domain.Tiles;
import dev.oversight.audit.service.AuditConfig;
import dev.oversight.audit.service.AuditQueries;
import dev.oversight.audit.service.TileReader;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.Compressed;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The log as C2SP tlog-tiles beside the JSON API: {@code /tile/<L>/<N>[.p/<W>]} (hashes) and
 * {@code /tile/entries/<N>[.p/<W>]} (the events' canonical texts), with {@code /checkpoint} as the signed tree head.
 * Every tile is immutable once served, so caches may keep it for a year. Entries name people and use cases: the
 * tiles need an auditor's or admin's token unless {@code audit.tiles.public=true}; reading entries is itself logged
 * (AUDIT_QUERY) when done with a token.
 */
@Path("/tile")
@PermitAll
public class TileResource {

    private static final String IMMUTABLE = "max-age=31536000, immutable";

    private final TileReader tiles;
    private final AuditConfig config;
    private final SecurityIdentity caller;
    private final AuditQueries queries;

    public TileResource(TileReader tiles, AuditConfig config, SecurityIdentity caller, AuditQueries queries) {
        this.tiles = tiles;
        this.config = config;
        this.caller = caller;
        this.queries = queries;
    }

    @GET
    @Path("/entries/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Compressed
    @Operation(summary = "An entry bundle: the canonical texts of up to 256 events, each behind its uint16 length")
    public Response entries(@PathParam("path") String path) {
        Tiles.Tile tile = tile("entries/" + path);
        if (!caller.isAnonymous()) {
            queries.record(caller.getPrincipal().getName(), "GET /tile/entries",
                    Map.of("from", tile.first(), "to", tile.first() + tile.width()));
        }
        return immutable(tiles.read(tile));
    }

    @GET
    @Path("/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A tile of the Merkle tree: up to 256 consecutive hashes of one tree level")
    public Response hashes(@PathParam("path") String path) {
        return immutable(tiles.read(tile(path)));
    }

    private Tiles.Tile tile(String path) {
        if (!config.tiles().open()) {
            if (caller.isAnonymous()) {
                throw new UnauthorizedException();
            }
            if (!caller.hasRole(Roles.AUDITOR) && !caller.hasRole(Roles.ADMIN)) {
                throw new ForbiddenException();
            }
        }
        return Tiles.parse(path).orElseThrow(() -> new Failure.NotFound("No tile is at /tile/" + path
                + ": tiles are /tile/<L>/<N>[.p/<W>] and /tile/entries/<N>[.p/<W>], with N in 3-digit groups"
                + " (x001/x234/067) as C2SP tlog-tiles spells them"));
    }

    private Response immutable(byte[] body) {
        return Response.ok(body).header("Cache-Control", (config.tiles().open() ? "public, " : "private, ") + IMMUTABLE)
                .build();
    }
}
