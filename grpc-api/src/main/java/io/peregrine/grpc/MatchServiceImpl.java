package io.peregrine.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.peregrine.grpc.v1.MatchRow;
import io.peregrine.grpc.v1.MatchServiceGrpc;
import io.peregrine.grpc.v1.SubscribeRequest;

/** MatchService over a {@link MatchHub}. */
final class MatchServiceImpl extends MatchServiceGrpc.MatchServiceImplBase {

    private final MatchHub hub;

    MatchServiceImpl(MatchHub hub) {
        this.hub = hub;
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<MatchRow> observer) {
        String pattern = request.getPattern();
        if (pattern.isEmpty()) {
            observer.onError(Errors.invalid("pattern", "pattern is required"));
            return;
        }
        if (!hub.hasPattern(pattern)) {
            observer.onError(Status.NOT_FOUND.withDescription("no pattern " + pattern + " in the running program").asRuntimeException());
            return;
        }
        if (request.getTimeouts() && !hub.emitsTimeouts(pattern)) {
            observer.onError(Errors.invalid("timeouts", "pattern " + pattern + " does not EMIT TIMEOUTS"));
            return;
        }
        if (!hub.subscribe(pattern, request.getTimeouts(), request.getJson(), request.getJsonOnly(),
                (ServerCallStreamObserver<MatchRow>) observer)) {
            observer.onError(Status.RESOURCE_EXHAUSTED.withDescription("the server has its maximum of subscribers")
                    .asRuntimeException());
        }
    }
}
