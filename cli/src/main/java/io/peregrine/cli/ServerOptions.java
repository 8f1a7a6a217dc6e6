package io.peregrine.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.peregrine.grpc.PeregrineClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the client commands ({@code query}, {@code savepoint}) reach a running {@code peregrine serve}. */
final class ServerOptions {

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:50051",
            description = "The server (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:PEREGRINE_TOKEN}",
            description = "Bearer token with the scope the command needs (default: $PEREGRINE_TOKEN).")
    String token;

    @Option(names = "--tls-ca", paramLabel = "CA", description = "Use TLS, trusting this CA (PEM).")
    Path tlsCa;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000", description = "Deadline in milliseconds (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    PeregrineClient client() {
        PeregrineClient.Builder b = PeregrineClient.builder(target).deadline(Duration.ofMillis(timeoutMillis));
        if (token != null && !token.isEmpty()) {
            b.token(token);
        }
        if (tlsCa != null) {
            b.tls(tlsCa);
        }
        try {
            return b.build();
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read " + tlsCa + ": " + e.getMessage());
        }
    }

    /** A failed call as a one-line user error: the request's fault is a usage error, the rest a failure. */
    UserError failure(StatusRuntimeException e) {
        Status s = e.getStatus();
        String msg = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
        switch (s.getCode()) {
            case INVALID_ARGUMENT:
            case NOT_FOUND:
                return new UserError(ExitCodes.USAGE, msg);
            case UNAVAILABLE:
                return new UserError(ExitCodes.FAILURE, "cannot reach " + target + ": " + msg);
            default:
                return new UserError(ExitCodes.FAILURE, s.getCode() + ": " + msg);
        }
    }
}
