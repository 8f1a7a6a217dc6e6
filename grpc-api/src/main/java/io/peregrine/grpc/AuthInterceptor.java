package io.peregrine.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;

/**
 * Checks the bearer token of every call against the method's scope: no or unknown token is
 * UNAUTHENTICATED, a known token without the scope PERMISSION_DENIED. Methods without a scope
 * (health checking, reflection) are open.
 */
final class AuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<TokenFile.Principal> PRINCIPAL = Context.key("peregrine-principal");

    private final TokenFile tokens;
    /** Full method name to required scope; built once at start. */
    private final Map<String, Scope> scopes;

    AuthInterceptor(TokenFile tokens, Map<String, Scope> scopes) {
        this.tokens = tokens;
        this.scopes = Map.copyOf(scopes);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Scope needed = scopes.get(call.getMethodDescriptor().getFullMethodName());
        if (needed == null) {
            return next.startCall(call, headers);
        }
        String auth = headers.get(AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            call.close(Status.UNAUTHENTICATED.withDescription("missing bearer token (authorization: Bearer TOKEN)"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        TokenFile.Principal p = tokens.lookup(auth.substring(7).strip());
        if (p == null) {
            call.close(Status.UNAUTHENTICATED.withDescription("unknown bearer token"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (!p.scopes().contains(needed)) {
            call.close(Status.PERMISSION_DENIED.withDescription(p.name() + " lacks scope "
                    + needed.name().toLowerCase(java.util.Locale.ROOT) + " for " + call.getMethodDescriptor().getFullMethodName()),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, p), call, headers, next);
    }
}
