package io.skyhaul.http;

import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Role;
import io.skyhaul.auth.UserService;
import io.skyhaul.gateways.GatewayRegistry;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.nodes.NodeKeys;
import io.skyhaul.partners.PartnerTokenService;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Authentication and authorization of every API request, deny by default: a resource method is
 * reachable only if it says who may call it ({@code @PermitAll} or {@code @RolesAllowed}). The
 * caller presents {@code Authorization: Bearer TOKEN}: a user's API token ({@code shk_...}) or
 * a partner token ({@code shp_...}); a remote node presents its node key ({@code shn_...}) and an
 * activated gateway its gateway key ({@code shg_...}). A missing or unknown token is 401; a revoked or expired
 * partner token, or a role that may not do this, is 403 with the reason.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    private final UserService users;
    private final PartnerTokenService partners;
    private final NodeKeys nodeKeys;
    private final GatewayRegistry gateways;

    @Context
    ResourceInfo resource;

    public AuthFilter(UserService users, PartnerTokenService partners, NodeKeys nodeKeys, GatewayRegistry gateways) {
        this.users = users;
        this.partners = partners;
        this.nodeKeys = nodeKeys;
        this.gateways = gateways;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        boolean open = method.isAnnotationPresent(PermitAll.class);
        RolesAllowed allowed = Optional.ofNullable(method.getAnnotation(RolesAllowed.class))
                .orElse(resource.getResourceClass().getAnnotation(RolesAllowed.class));
        String header = request.getHeaderString("Authorization");
        Principal principal = null;
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ApiException(ApiError.UNAUTHENTICATED, "use 'Authorization: Bearer TOKEN' with an API token or a partner token");
            }
            principal = authenticate(header.substring(7).trim());
        }
        if (open) {
            setPrincipal(request, principal);
            return;
        }
        if (principal == null) {
            throw new ApiException(ApiError.UNAUTHENTICATED, "this request needs an API token ('Authorization: Bearer TOKEN');"
                    + " get one with 'skyhaul login' or POST /api/v1/auth/login");
        }
        String role = principal.roleName();
        if (allowed == null || Arrays.stream(allowed.value()).noneMatch(role::equals)) {
            throw ApiException.forbidden(principal.isPartner() ? "a partner token cannot do this"
                    : principal.kind() == Principal.Kind.NODE ? "a node key only opens the node channel (/api/v1/node/...)"
                    : principal.kind() == Principal.Kind.GATEWAY ? "a gateway key opens the gateway channel (/api/v1/gateway/...) and its own transfers"
                    : "role '" + role + "' may not do this" + (allowed == null ? "" : " (needs " + String.join(" or ", allowed.value()) + ")"));
        }
        setPrincipal(request, principal);
    }

    private Principal authenticate(String token) {
        if (token.startsWith(NodeKeys.PREFIX)) {
            return nodeKeys.authenticate(token).orElseThrow(() -> new ApiException(ApiError.UNAUTHENTICATED,
                    "the node key (token) is unknown or revoked; an admin issues a new one with POST /api/v1/node-keys"));
        }
        if (token.startsWith(GatewayRegistry.KEY_PREFIX)) {
            return gateways.authenticate(token).orElseThrow(() -> new ApiException(ApiError.UNAUTHENTICATED,
                    "the gateway key (token) is unknown, or the gateway was deactivated; the gateway asks to be activated again"));
        }
        Optional<Principal> user = users.authenticate(token);
        if (user.isPresent()) {
            return user.get();
        }
        Optional<PartnerTokenService.Verdict> partner = partners.authenticate(token);
        if (partner.isPresent()) {
            if (partner.get().refusal() != null) {
                throw ApiException.forbidden(partner.get().refusal());
            }
            return partner.get().principal();
        }
        throw new ApiException(ApiError.UNAUTHENTICATED, "the token is unknown, expired or revoked; sign in again with 'skyhaul login'");
    }

    private static void setPrincipal(ContainerRequestContext request, Principal principal) {
        if (principal == null) {
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public java.security.Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return principal.roleName().equals(role);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }
}
