package io.skyhaul.gateway.local;

import io.skyhaul.gateway.GatewayAgent;
import io.skyhaul.gateway.spool.SpoolEntry;
import io.skyhaul.gateway.spool.SpoolFullException;
import io.skyhaul.gateway.spool.SpoolRefusedException;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.http.errors.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Handing files to the gateway: {@code POST /api/v1/spool?location=...&path=...} with the file
 * as the body (its length declared), answered 201 only once the file is durable in the spool.
 * A full spool answers 503 with {@code Retry-After}: the client waits, nothing is dropped. A file
 * a rule refuses is 422 with the rule and the reason, before any byte is kept.
 */
@Path("spool")
@Produces(MediaType.APPLICATION_JSON)
public final class LocalSpoolResource {
    private final GatewayAgent gateway;

    public LocalSpoolResource(GatewayAgent gateway) {
        this.gateway = gateway;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response put(@QueryParam("location") String location, @QueryParam("path") String path, @HeaderParam("Content-Length") Long length,
            @HeaderParam("X-Content-SHA256") String sha256, InputStream body) throws IOException {
        if (location == null || location.isBlank()) {
            throw ApiException.invalid("location", "name the destination, e.g. ?location=s3://ACCOUNT/bucket/prefix/");
        }
        if (path == null || path.isBlank()) {
            throw ApiException.invalid("path", "name the file as it should arrive, e.g. &path=reel-01.mov");
        }
        if (length == null || length < 0) {
            throw new ApiException(ApiError.LENGTH_REQUIRED, "send the file with its Content-Length (no chunked bodies): the spool reserves room"
                    + " for it before reading a byte");
        }
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            throw ApiException.invalid("X-Content-SHA256", "must be the file's SHA-256 in 64 hex digits");
        }
        try {
            SpoolEntry e = gateway.spool().accept(location, path, length, sha256 == null ? null : sha256.toLowerCase(java.util.Locale.ROOT), body);
            return Response.status(201).entity(view(e)).build();
        } catch (SpoolFullException e) {
            Response r = Problem.of(ApiError.BUSY, e.getMessage(), null, java.util.List.of()).toResponse();
            return Response.fromResponse(r).header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
        } catch (SpoolRefusedException e) {
            throw new ApiException(e.tooLarge() ? ApiError.PAYLOAD_TOO_LARGE : ApiError.INVALID_REQUEST, e.getMessage());
        } catch (io.skyhaul.gateway.SpoolService.Refused e) {
            if (e.rule().equals("location") || e.rule().equals("path")) {
                throw ApiException.invalid(e.rule(), e.getMessage());
            }
            throw new ApiException(ApiError.UNPROCESSABLE, e.getMessage() + " (rule " + e.rule() + ")");
        }
    }

    @GET
    public Map<String, Object> list() {
        var s = gateway.spool().spool();
        return Map.of("usage", s.usage(), "pending", s.pending().stream().map(LocalSpoolResource::view).toList(), "failures", s.recentFailures());
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return gateway.spool().spool().get(id).map(LocalSpoolResource::view)
                .orElseThrow(() -> ApiException.notFound("spool entry " + id + " (not waiting: uploaded, given up, or never accepted)"));
    }

    private static Map<String, Object> view(SpoolEntry e) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", e.id());
        m.put("location", e.location());
        m.put("path", e.path());
        m.put("size", e.size());
        m.put("sha256", e.sha256Hex());
        m.put("acceptedAt", e.acceptedAt().toString());
        m.put("state", e.state().name().toLowerCase(java.util.Locale.ROOT));
        if (e.transferId() != null) {
            m.put("transferId", e.transferId());
        }
        m.put("attempts", e.attempts());
        if (e.lastError() != null) {
            m.put("lastError", e.lastError());
        }
        return m;
    }
}
