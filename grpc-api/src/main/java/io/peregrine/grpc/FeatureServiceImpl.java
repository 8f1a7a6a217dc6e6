package io.peregrine.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.peregrine.feature.FeatureInfo;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.feature.UnknownFeatureException;
import io.peregrine.grpc.v1.FeatureServiceGrpc;
import io.peregrine.grpc.v1.FeatureType;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import io.peregrine.grpc.v1.StreamFeaturesRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * FeatureService over a {@link FeatureView}. Requests are checked against a cached catalogue of
 * feature sets (names resolved once, not per request), the read runs on the calling thread, and
 * the response is built straight from the view's records. A semaphore bounds concurrent reads so
 * overload is answered with RESOURCE_EXHAUSTED instead of a growing queue.
 */
final class FeatureServiceImpl implements BindableService {

    private final FeatureView view;
    private final ServerLimits limits;
    private final Semaphore inFlight;
    private final ScheduledExecutorService scheduler;
    private volatile Map<String, Catalogue> catalogue = Map.of();

    /**
     * One feature set's names and types, for validating requests and typing responses, and the
     * encoded head of a response with all its features (the same bytes for every such read).
     */
    private record Catalogue(FeatureSetInfo info, Map<String, FeatureType> types, List<FeatureType> allTypes,
                             List<String> allNames, byte[] allHeader) {
        static Catalogue of(FeatureSetInfo info) {
            Map<String, FeatureType> types = new HashMap<>();
            FeatureType[] all = new FeatureType[info.features().size()];
            String[] names = new String[all.length];
            for (int i = 0; i < all.length; i++) {
                FeatureInfo f = info.features().get(i);
                all[i] = ProtoValues.type(f.type());
                names[i] = f.name();
                types.put(f.name(), all[i]);
            }
            List<FeatureType> allTypes = List.of(all);
            List<String> allNames = List.of(names);
            return new Catalogue(info, Map.copyOf(types), allTypes, allNames,
                    ResponseEncoder.header(info.name(), allNames, allTypes));
        }
    }

    /** A checked request and the view's answer, before it becomes a message or bytes. */
    private record Read(Catalogue catalogue, List<FeatureType> types, boolean allFeatures, FeatureResponse response) {
    }

    FeatureServiceImpl(FeatureView view, ServerLimits limits, ScheduledExecutorService scheduler) {
        this.view = view;
        this.limits = limits;
        this.inFlight = new Semaphore(limits.maxConcurrentReads());
        this.scheduler = scheduler;
    }

    private Catalogue catalogue(String name) {
        Catalogue c = catalogue.get(name);
        if (c == null) {
            // feature sets may have been deployed since: reload once
            Map<String, Catalogue> fresh = new HashMap<>();
            for (FeatureSetInfo info : view.featureSets()) {
                fresh.put(info.name(), Catalogue.of(info));
            }
            catalogue = Map.copyOf(fresh);
            c = fresh.get(name);
        }
        return c;
    }

    /**
     * GetFeatures answers with bytes from {@link ResponseEncoder} through its own response
     * marshaller; the method keeps its name, request type and wire format, so clients, reflection,
     * auth and the direct call executor see the generated service. StreamFeatures is unchanged.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServiceDescriptor generated = FeatureServiceGrpc.getServiceDescriptor();
        MethodDescriptor<GetFeaturesRequest, byte[]> get = FeatureServiceGrpc.getGetFeaturesMethod()
                .toBuilder(FeatureServiceGrpc.getGetFeaturesMethod().getRequestMarshaller(), ENCODED).build();
        MethodDescriptor<StreamFeaturesRequest, GetFeaturesResponse> stream = FeatureServiceGrpc.getStreamFeaturesMethod();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(generated.getName())
                .setSchemaDescriptor(generated.getSchemaDescriptor()).addMethod(get).addMethod(stream).build();
        return ServerServiceDefinition.builder(service)
                .addMethod(get, ServerCalls.asyncUnaryCall(this::getFeaturesEncoded))
                .addMethod(stream, ServerCalls.asyncServerStreamingCall(this::streamFeatures))
                .build();
    }

    void getFeaturesEncoded(GetFeaturesRequest request, StreamObserver<byte[]> observer) {
        if (Context.current().isCancelled()) {
            observer.onError(Status.DEADLINE_EXCEEDED.withDescription("deadline passed before the read").asRuntimeException());
            return;
        }
        if (!inFlight.tryAcquire()) {
            observer.onError(Status.RESOURCE_EXHAUSTED.withDescription("more than " + limits.maxConcurrentReads()
                    + " feature reads in flight; retry with backoff").asRuntimeException());
            return;
        }
        try {
            observer.onNext(encoded(request));
            observer.onCompleted();
        } catch (RuntimeException e) {
            observer.onError(e instanceof io.grpc.StatusRuntimeException ? e
                    : Status.INTERNAL.withDescription("feature read failed: " + e).asRuntimeException());
        } finally {
            inFlight.release();
        }
    }

    /** Encoded responses go out as they are; the framer drains the array into its buffer without a copy of its own. */
    private static final MethodDescriptor.Marshaller<byte[]> ENCODED = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new EncodedStream(value);
        }

        @Override
        public byte[] parse(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("reading a GetFeaturesResponse: " + e).asRuntimeException();
            }
        }
    };

    private static final class EncodedStream extends ByteArrayInputStream implements KnownLength, Drainable {
        EncodedStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    GetFeaturesResponse read(GetFeaturesRequest request, boolean streaming) {
        Read read = prepare(request, streaming);
        return message(read.response(), read.types());
    }

    /** The response's wire bytes, written straight from the view's records (see {@link ResponseEncoder}). */
    byte[] encoded(GetFeaturesRequest request) {
        Read read = prepare(request, false);
        FeatureResponse r = read.response();
        Catalogue c = read.catalogue();
        byte[] header = read.allFeatures() && r.featureSet().equals(c.info().name()) && r.features().equals(c.allNames())
                ? c.allHeader() : ResponseEncoder.header(r.featureSet(), r.features(), read.types());
        return ResponseEncoder.encode(header, r);
    }

    private Read prepare(GetFeaturesRequest request, boolean streaming) {
        String set = request.getFeatureSet();
        if (set.isEmpty()) {
            throw Errors.invalid("feature_set", "feature_set is required");
        }
        Catalogue c = catalogue(set);
        if (c == null) {
            throw Errors.invalid("feature_set", "unknown feature set " + set + " (served: " + catalogue.keySet().stream().sorted().toList() + ")");
        }
        int keys = request.getKeysCount();
        if (keys == 0) {
            throw Errors.invalid("keys", "at least one key is required");
        }
        if (keys > limits.maxKeysPerRequest()) {
            throw Errors.invalid("keys", keys + " keys is more than the limit of " + limits.maxKeysPerRequest() + " per request");
        }
        List<FeatureType> types;
        if (request.getFeaturesCount() == 0) {
            types = c.allTypes();
        } else {
            BadRequest.Builder bad = null;
            FeatureType[] t = new FeatureType[request.getFeaturesCount()];
            for (int i = 0; i < t.length; i++) {
                String f = request.getFeatures(i);
                t[i] = c.types().get(f);
                if (t[i] == null) {
                    if (bad == null) {
                        bad = BadRequest.newBuilder();
                    }
                    bad.addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("features[" + i + "]")
                            .setDescription("unknown feature " + f + " of feature set " + set));
                }
            }
            if (bad != null) {
                throw Errors.withDetails(Code.INVALID_ARGUMENT, bad.getFieldViolations(0).getDescription()
                        + (bad.getFieldViolationsCount() > 1 ? " (and " + (bad.getFieldViolationsCount() - 1) + " more)" : ""),
                        bad.build());
            }
            types = List.of(t);
        }
        if (streaming && request.hasAsOfMillis()) {
            throw Errors.invalid("read.as_of_millis", "a feature stream follows the latest time; leave as_of_millis unset");
        }
        FeatureResponse r;
        try {
            r = view.get(new FeatureRequest(set, request.getKeysList(), request.getFeaturesList(),
                    request.hasAsOfMillis() ? OptionalLong.of(request.getAsOfMillis()) : OptionalLong.empty()));
        } catch (UnknownFeatureException e) {
            throw Errors.invalid("keys", e.getMessage());
        }
        return new Read(c, types, request.getFeaturesCount() == 0, r);
    }

    /** The response as a message: what {@link ResponseEncoder} must encode byte for byte. */
    static GetFeaturesResponse message(FeatureResponse r, List<FeatureType> types) {
        GetFeaturesResponse.Builder out = GetFeaturesResponse.newBuilder()
                .setFeatureSet(r.featureSet())
                .addAllFeatures(r.features())
                .addAllTypes(types)
                .setAsOfMillis(r.asOfMillis())
                .setWatermarkMillis(r.watermarkMillis());
        for (KeyFeatures k : r.rows()) {
            io.peregrine.grpc.v1.KeyFeatures.Builder kb = io.peregrine.grpc.v1.KeyFeatures.newBuilder()
                    .setKey(k.key()).setFound(k.found());
            if (k.found()) {
                kb.setLastEventMillis(k.lastEventMillis());
            }
            for (FeatureValue v : k.values()) {
                kb.addValues(value(v));
            }
            out.addRows(kb.build());
        }
        return out.build();
    }

    private static final io.peregrine.grpc.v1.FeatureValue NOT_FOUND = io.peregrine.grpc.v1.FeatureValue.newBuilder()
            .setStatus(io.peregrine.grpc.v1.FeatureStatus.NOT_FOUND).build();
    private static final io.peregrine.grpc.v1.FeatureValue OUT_OF_WINDOW = io.peregrine.grpc.v1.FeatureValue.newBuilder()
            .setStatus(io.peregrine.grpc.v1.FeatureStatus.OUT_OF_WINDOW).build();

    /** Statuses without a value are shared messages; only present values are built. */
    private static io.peregrine.grpc.v1.FeatureValue value(FeatureValue v) {
        switch (v.status()) {
            case NOT_FOUND:
                return NOT_FOUND;
            case OUT_OF_WINDOW:
                return OUT_OF_WINDOW;
            default:
                io.peregrine.grpc.v1.FeatureValue.Builder b = io.peregrine.grpc.v1.FeatureValue.newBuilder()
                        .setStatus(io.peregrine.grpc.v1.FeatureStatus.PRESENT);
                if (v.value() != null) {
                    b.setValue(ProtoValues.of(v.value()));
                }
                return b.build();
        }
    }

    void streamFeatures(StreamFeaturesRequest request, StreamObserver<GetFeaturesResponse> observer) {
        int interval = request.getIntervalMillis() == 0 ? 100 : request.getIntervalMillis();
        if (interval < 10 || interval > 60_000) {
            observer.onError(Errors.invalid("interval_millis", "interval_millis " + interval + " is outside 10..60000"));
            return;
        }
        ServerCallStreamObserver<GetFeaturesResponse> out = (ServerCallStreamObserver<GetFeaturesResponse>) observer;
        GetFeaturesResponse first;
        try {
            first = read(request.getRead(), true);
        } catch (RuntimeException e) {
            observer.onError(e);
            return;
        }
        out.onNext(first);
        Poller poller = new Poller(request.getRead(), out, first);
        synchronized (poller) {
            poller.future = scheduler.scheduleWithFixedDelay(poller, interval, interval, TimeUnit.MILLISECONDS);
        }
        out.setOnCancelHandler(poller::cancel);
    }

    /** Re-reads on a timer; sends only changes, and skips ticks while the client is not ready. */
    private final class Poller implements Runnable {
        private final GetFeaturesRequest read;
        private final ServerCallStreamObserver<GetFeaturesResponse> out;
        private GetFeaturesResponse last;
        private ScheduledFuture<?> future;
        private boolean done;

        Poller(GetFeaturesRequest read, ServerCallStreamObserver<GetFeaturesResponse> out, GetFeaturesResponse last) {
            this.read = read;
            this.out = out;
            this.last = last;
        }

        synchronized void cancel() {
            done = true;
            if (future != null) {
                future.cancel(false);
            }
        }

        @Override
        public synchronized void run() {
            if (done || !out.isReady()) {
                return;
            }
            try {
                GetFeaturesResponse now = read(read, true);
                if (!now.getRowsList().equals(last.getRowsList()) || now.getWatermarkMillis() != last.getWatermarkMillis()) {
                    last = now;
                    out.onNext(now);
                }
            } catch (RuntimeException e) {
                cancel();
                try {
                    out.onError(e instanceof io.grpc.StatusRuntimeException ? e
                            : Status.INTERNAL.withDescription("feature read failed: " + e).asRuntimeException());
                } catch (RuntimeException ignored) {
                    // the call is already gone
                }
            }
        }
    }
}
