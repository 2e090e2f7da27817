package io.skyhaul.http.resources;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI 3.1 description of this API. Written by hand next to the resources; a test checks
 * that it names exactly the paths and methods the resources serve.
 */
@Path("openapi.json")
public final class OpenApiResource {
    public static final String RESOURCE = "/io/skyhaul/http/openapi.json";

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public String get() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
