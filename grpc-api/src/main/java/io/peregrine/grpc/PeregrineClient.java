package io.peregrine.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.v1.AdminServiceGrpc;
import io.peregrine.grpc.v1.Event;
import io.peregrine.grpc.v1.FeatureServiceGrpc;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import io.peregrine.grpc.v1.GetStatusRequest;
import io.peregrine.grpc.v1.IngestAck;
import io.peregrine.grpc.v1.IngestRequest;
import io.peregrine.grpc.v1.IngestServiceGrpc;
import io.peregrine.grpc.v1.JobStatus;
import io.peregrine.grpc.v1.MatchRow;
import io.peregrine.grpc.v1.MatchServiceGrpc;
import io.peregrine.grpc.v1.SubscribeRequest;
import io.peregrine.grpc.v1.ValidateProgramRequest;
import io.peregrine.grpc.v1.ValidateProgramResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small Java client for a Peregrine server. Calls throw {@link io.grpc.StatusRuntimeException}
 * with the server's status; every unary call has the client's deadline (default 10 s).
 *
 * <pre>{@code
 * try (PeregrineClient client = PeregrineClient.builder("127.0.0.1:50051").token(token).build()) {
 *     FeatureResponse r = client.getFeatures(FeatureRequest.latest("card_features", List.of("c1")));
 *     List<IngestAck> acks = client.ingest("transactions", List.of(List.of("{...}", "{...}")), false);
 * }
 * }</pre>
 */
public final class PeregrineClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final Duration deadline;
    private final FeatureServiceGrpc.FeatureServiceBlockingStub features;
    private final AdminServiceGrpc.AdminServiceBlockingStub admin;
    private final MatchServiceGrpc.MatchServiceBlockingStub matches;
    private final MatchServiceGrpc.MatchServiceStub matchesAsync;
    private final IngestServiceGrpc.IngestServiceStub ingest;

    private PeregrineClient(ManagedChannel channel, boolean ownsChannel, String token, Duration deadline) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.deadline = deadline;
        ClientInterceptor[] auth = token == null ? new ClientInterceptor[0] : new ClientInterceptor[] {bearer(token)};
        this.features = FeatureServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        this.admin = AdminServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        this.matches = MatchServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        this.matchesAsync = MatchServiceGrpc.newStub(channel).withInterceptors(auth);
        this.ingest = IngestServiceGrpc.newStub(channel).withInterceptors(auth);
    }

    static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** @param target {@code host:port} */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** A client over a channel the caller owns (in-process tests); {@code token} may be null. */
    public static PeregrineClient over(ManagedChannel channel, String token) {
        return new PeregrineClient(channel, false, token, Duration.ofSeconds(10));
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** The blocking feature stub with the client's token and deadline, for requests this class does not wrap. */
    public FeatureServiceGrpc.FeatureServiceBlockingStub featureStub() {
        return features.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    public GetFeaturesResponse getFeatures(GetFeaturesRequest request) {
        return featureStub().getFeatures(request);
    }

    /** A read in the feature store's own terms. */
    public FeatureResponse getFeatures(FeatureRequest request) {
        GetFeaturesRequest.Builder b = GetFeaturesRequest.newBuilder().setFeatureSet(request.featureSet())
                .addAllKeys(request.keys()).addAllFeatures(request.features());
        request.asOfMillis().ifPresent(b::setAsOfMillis);
        return toFeatureResponse(getFeatures(b.build()));
    }

    static FeatureResponse toFeatureResponse(GetFeaturesResponse r) {
        List<KeyFeatures> rows = new ArrayList<>(r.getRowsCount());
        for (io.peregrine.grpc.v1.KeyFeatures k : r.getRowsList()) {
            List<FeatureValue> values = new ArrayList<>(k.getValuesCount());
            for (io.peregrine.grpc.v1.FeatureValue v : k.getValuesList()) {
                values.add(new FeatureValue(ProtoValues.status(v.getStatus()), v.hasValue() ? ProtoValues.toJava(v.getValue()) : null));
            }
            rows.add(new KeyFeatures(k.getKey(), k.getFound(), k.hasLastEventMillis() ? k.getLastEventMillis() : Long.MIN_VALUE, values));
        }
        return new FeatureResponse(r.getFeatureSet(), r.getFeaturesList(), rows, r.getAsOfMillis(), r.getWatermarkMillis());
    }

    public JobStatus status() {
        return admin.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).getStatus(GetStatusRequest.getDefaultInstance());
    }

    public ValidateProgramResponse validate(String name, String program) {
        return admin.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .validateProgram(ValidateProgramRequest.newBuilder().setName(name).setProgram(program).build());
    }

    public AdminServiceGrpc.AdminServiceBlockingStub adminStub() {
        return admin.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A blocking iterator over a pattern's rows (no deadline: it runs until the server ends it or the channel closes). */
    public Iterator<MatchRow> subscribe(SubscribeRequest request) {
        return matches.subscribe(request);
    }

    /** Streams a pattern's rows to {@code observer}; cancel through the returned stream's context or by closing the client. */
    public void subscribe(SubscribeRequest request, StreamObserver<MatchRow> observer) {
        matchesAsync.subscribe(request, observer);
    }

    /**
     * Sends batches of JSON events to a stream on one Ingest call, as fast as flow control allows,
     * and returns the acknowledgements in order.
     *
     * @throws io.grpc.StatusRuntimeException when the server ends the call with an error
     */
    public List<IngestAck> ingest(String stream, List<List<String>> batches, boolean waitVisible) {
        List<IngestRequest> requests = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            IngestRequest.Builder b = IngestRequest.newBuilder().setStream(stream).setBatchId(i).setWaitVisible(waitVisible);
            for (String json : batches.get(i)) {
                b.addEvents(Event.newBuilder().setJson(json));
            }
            requests.add(b.build());
        }
        return ingestRequests(requests);
    }

    /** Sends prepared requests on one Ingest call and returns the acknowledgements in order. */
    public List<IngestAck> ingestRequests(List<IngestRequest> requests) {
        CompletableFuture<List<IngestAck>> done = new CompletableFuture<>();
        List<IngestAck> acks = Collections.synchronizedList(new ArrayList<>());
        ingest.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).ingest(
                new ClientResponseObserver<IngestRequest, IngestAck>() {
                    private int next;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<IngestRequest> out) {
                        // send while the transport has room: gRPC flow control is the back-pressure
                        out.setOnReadyHandler(() -> {
                            synchronized (this) {
                                while (out.isReady() && next < requests.size()) {
                                    out.onNext(requests.get(next++));
                                }
                                if (next == requests.size()) {
                                    next++;
                                    out.onCompleted();
                                }
                            }
                        });
                    }

                    @Override
                    public void onNext(IngestAck ack) {
                        acks.add(ack);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(List.copyOf(acks));
                    }
                });
        try {
            return done.get(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ingesting", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no end of the ingest call within the deadline", e);
        }
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static final class Builder {
        private final String target;
        private String token;
        private Path trustCa;
        private Path clientCert;
        private Path clientKey;
        private Duration deadline = Duration.ofSeconds(10);

        private Builder(String target) {
            this.target = target;
        }

        /** The bearer token sent with every call. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Use TLS, trusting servers signed by this PEM CA. */
        public Builder tls(Path trustCa) {
            this.trustCa = trustCa;
            return this;
        }

        /** Present this client certificate (mutual TLS). Needs {@link #tls}. */
        public Builder clientCertificate(Path certChain, Path privateKey) {
            this.clientCert = certChain;
            this.clientKey = privateKey;
            return this;
        }

        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        public PeregrineClient build() throws IOException {
            ChannelCredentials creds;
            if (trustCa != null) {
                TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder().trustManager(trustCa.toFile());
                if (clientCert != null) {
                    tls.keyManager(clientCert.toFile(), clientKey.toFile());
                }
                creds = tls.build();
            } else {
                creds = InsecureChannelCredentials.create();
            }
            ManagedChannel ch = Grpc.newChannelBuilder(target, creds).build();
            return new PeregrineClient(ch, true, token, deadline);
        }
    }
}
