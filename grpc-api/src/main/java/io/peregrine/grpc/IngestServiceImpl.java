package io.peregrine.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.v1.Event;
import io.peregrine.grpc.v1.EventError;
import io.peregrine.grpc.v1.Field;
import io.peregrine.grpc.v1.IngestAck;
import io.peregrine.grpc.v1.IngestRequest;
import io.peregrine.grpc.v1.IngestServiceGrpc;
import io.peregrine.grpc.v1.Value;
import io.peregrine.runtime.format.RowDecoder;
import io.peregrine.runtime.format.RowDecoders;
import io.peregrine.runtime.sink.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * IngestService: validates each batch with the stream's own decoder (so a bad event is refused up
 * front with its reason, never appended), appends accepted batches to the stream's
 * {@link IngestLog}, and acknowledges in order once they are fsynced. Flow control is gRPC's: the
 * server asks for the next request message only when a batch is acknowledged, keeping at most
 * {@code maxUnacknowledgedBatches} in flight per call.
 */
final class IngestServiceImpl extends IngestServiceGrpc.IngestServiceImplBase {

    /** wait_visible without a deadline gives up after this long (the events stay appended). */
    private static final long MAX_VISIBLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, IngestLog> logs;
    private final FeatureView view;
    private final ServerLimits limits;
    private final ScheduledExecutorService scheduler;

    IngestServiceImpl(Map<String, IngestLog> logs, FeatureView view, ServerLimits limits,
                      ScheduledExecutorService scheduler) {
        this.logs = Map.copyOf(logs);
        this.view = view;
        this.limits = limits;
        this.scheduler = scheduler;
    }

    @Override
    public StreamObserver<IngestRequest> ingest(StreamObserver<IngestAck> responseObserver) {
        ServerCallStreamObserver<IngestAck> out = (ServerCallStreamObserver<IngestAck>) responseObserver;
        out.disableAutoRequest();
        Deadline deadline = Context.current().getDeadline();
        long deadlineNanos = Long.MAX_VALUE;
        if (deadline != null) {
            // stop waiting a little before the deadline so the acknowledgement itself still arrives
            long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
            deadlineNanos = System.nanoTime() + left - Math.max(TimeUnit.MILLISECONDS.toNanos(20), left / 10);
        }
        Call call = new Call(out, deadlineNanos);
        out.request(limits.maxUnacknowledgedBatches());
        return call;
    }

    private final class Call implements StreamObserver<IngestRequest> {
        private final ServerCallStreamObserver<IngestAck> out;
        /** The call's own deadline (less a margin for the last acknowledgement), or Long.MAX_VALUE. */
        private final long deadlineNanos;
        private final Map<String, RowDecoder> decoders = new HashMap<>();
        private final JsonWriter json = new JsonWriter();
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private boolean failed;

        Call(ServerCallStreamObserver<IngestAck> out, long deadlineNanos) {
            this.out = out;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public void onNext(IngestRequest request) {
            synchronized (out) {
                if (failed) {
                    return;
                }
            }
            IngestLog log = logs.get(request.getStream());
            if (log == null) {
                fail(Errors.invalid("stream", "unknown stream " + request.getStream() + " (ingest takes "
                        + logs.keySet().stream().sorted().toList() + ")"));
                return;
            }
            int n = request.getEventsCount();
            if (n == 0) {
                fail(Errors.invalid("events", "a batch needs at least one event"));
                return;
            }
            if (n > limits.maxEventsPerBatch()) {
                fail(Errors.invalid("events", n + " events is more than the limit of " + limits.maxEventsPerBatch()
                        + " per batch"));
                return;
            }
            StreamDef stream = log.stream();
            RowDecoder decoder = decoders.computeIfAbsent(stream.name(),
                    s -> RowDecoders.forFormat("json", stream.schema()));
            List<byte[]> payloads = new ArrayList<>(n);
            List<EventError> errors = new ArrayList<>();
            List<Row> rows = request.getWaitVisible() ? new ArrayList<>(n) : null;
            for (int i = 0; i < n; i++) {
                Event e = request.getEvents(i);
                byte[] bytes;
                String problem = null;
                switch (e.getPayloadCase()) {
                    case JSON:
                        bytes = e.getJson().getBytes(StandardCharsets.UTF_8);
                        break;
                    case FIELDS:
                        problem = typedToJson(stream, e.getFields().getFieldsList());
                        bytes = problem == null ? json.toString().getBytes(StandardCharsets.UTF_8) : null;
                        break;
                    default:
                        problem = "the event has neither json nor fields";
                        bytes = null;
                }
                if (problem == null) {
                    RowDecoder.Status st = decoder.decode(bytes, 0, bytes.length);
                    if (st == RowDecoder.Status.ROW) {
                        payloads.add(bytes);
                        if (rows != null) {
                            rows.add(decoder.row());
                        }
                        continue;
                    }
                    problem = st == RowDecoder.Status.FAILED ? decoder.failure() : "an empty event";
                }
                errors.add(EventError.newBuilder().setIndex(i).setReason(problem).build());
            }
            if (!errors.isEmpty()) {
                IngestAck ack = IngestAck.newBuilder().setBatchId(request.getBatchId()).setAccepted(false)
                        .addAllErrors(errors).build();
                enqueue(CompletableFuture.completedFuture(ack));
                return;
            }
            CompletableFuture<Long> appended;
            try {
                appended = log.append(payloads);
            } catch (IngestLog.RejectedException e) {
                fail((e.overloaded() ? Status.RESOURCE_EXHAUSTED : Status.UNAVAILABLE).withDescription(e.getMessage())
                        .asRuntimeException());
                return;
            } catch (IllegalArgumentException e) {
                fail(Errors.invalid("events", e.getMessage()));
                return;
            }
            long batchId = request.getBatchId();
            CompletableFuture<IngestAck> ack = appended.thenCompose(first -> {
                IngestAck.Builder b = IngestAck.newBuilder().setBatchId(batchId).setAccepted(true)
                        .setFirstSequence(first).setAppended(n);
                if (rows == null) {
                    return CompletableFuture.completedFuture(b.build());
                }
                return awaitVisible(log, first + n, rows).thenApply(v -> b.setVisible(v).build());
            });
            enqueue(ack);
        }

        /** Sends acknowledgements in request order, each after the ones before it. */
        private void enqueue(CompletableFuture<IngestAck> ack) {
            tail = tail.thenCompose(v -> ack).handle((a, err) -> {
                if (err != null) {
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause() : err;
                    fail(Status.UNAVAILABLE.withDescription("the ingest log could not append the batch: " + cause.getMessage())
                            .asRuntimeException());
                } else {
                    synchronized (out) {
                        if (!failed) {
                            out.onNext(a);
                            out.request(1);
                        }
                    }
                }
                return null;
            });
        }

        private void fail(StatusRuntimeException e) {
            synchronized (out) {
                if (!failed) {
                    failed = true;
                    try {
                        out.onError(e);
                    } catch (RuntimeException ignored) {
                        // the client went away first
                    }
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (out) {
                failed = true;
            }
        }

        @Override
        public void onCompleted() {
            tail.thenRun(() -> {
                synchronized (out) {
                    if (!failed) {
                        failed = true;
                        out.onCompleted();
                    }
                }
            });
        }

        /** Writes typed fields as one JSON object into {@link #json}; returns a problem or null. */
        private String typedToJson(StreamDef stream, List<Field> fields) {
            json.reset();
            json.raw((byte) '{');
            boolean firstField = true;
            for (Field f : fields) {
                Column c = stream.schema().find(f.getName()).orElse(null);
                if (c == null) {
                    return "unknown column '" + f.getName() + "' of stream " + stream.name();
                }
                if (!firstField) {
                    json.raw((byte) ',');
                }
                firstField = false;
                json.string(f.getName()).raw((byte) ':');
                Value v = f.getValue();
                switch (v.getKindCase()) {
                    case INT64_VALUE:
                        json.number(v.getInt64Value());
                        break;
                    case DOUBLE_VALUE:
                        if (!Double.isFinite(v.getDoubleValue())) {
                            return "field '" + f.getName() + "': non-finite number " + v.getDoubleValue();
                        }
                        json.number(v.getDoubleValue());
                        break;
                    case STRING_VALUE:
                        json.string(v.getStringValue());
                        break;
                    case BOOL_VALUE:
                        json.bool(v.getBoolValue());
                        break;
                    case LIST_VALUE:
                        return "field '" + f.getName() + "': a list is not a column value";
                    default:
                        json.nullValue();
                }
            }
            json.raw((byte) '}');
            return null;
        }

        /**
         * Completes with true once the job has read every event up to {@code count} and each feature set
         * over the stream reports, per event key, a last event time at or after the event's; false at the deadline.
         */
        private CompletableFuture<Boolean> awaitVisible(IngestLog log, long count, List<Row> rows) {
            StreamDef stream = log.stream();
            List<FeatureSetInfo> sets = new ArrayList<>();
            List<Map<String, Long>> wanted = new ArrayList<>();
            if (view != null) {
                for (FeatureSetInfo info : view.featureSets()) {
                    if (!info.stream().equals(stream.name()) || info.features().isEmpty()) {
                        continue;
                    }
                    Column key = stream.schema().find(info.keyColumn()).orElse(null);
                    if (key == null || !stream.hasRowtime()) {
                        continue;
                    }
                    Map<String, Long> latest = new HashMap<>();
                    for (Row r : rows) {
                        Object k = r.get(key.index());
                        if (k != null) {
                            latest.merge(k.toString(), r.getLong(stream.rowtimeColumn()), Math::max);
                        }
                    }
                    sets.add(info);
                    wanted.add(latest);
                }
            }
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            // each batch may wait its own MAX_VISIBLE_WAIT: a long-lived call must not run out of it
            long giveUp = Math.min(deadlineNanos, System.nanoTime() + MAX_VISIBLE_WAIT_NANOS);
            Runnable check = new Runnable() {
                @Override
                public void run() {
                    try {
                        if (visible(log, count, sets, wanted)) {
                            done.complete(true);
                        } else if (System.nanoTime() >= giveUp || out.isCancelled()) {
                            done.complete(false);
                        } else {
                            scheduler.schedule(this, 1, TimeUnit.MILLISECONDS);
                        }
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                }
            };
            check.run();
            return done;
        }

        private boolean visible(IngestLog log, long count, List<FeatureSetInfo> sets, List<Map<String, Long>> wanted) {
            if (log.read() < count) {
                return false;
            }
            for (int s = 0; s < sets.size(); s++) {
                Map<String, Long> want = wanted.get(s);
                List<String> keys = new ArrayList<>(want.keySet());
                FeatureResponse r = view.get(new FeatureRequest(sets.get(s).name(), keys,
                        List.of(sets.get(s).features().get(0).name()), OptionalLong.empty()));
                for (KeyFeatures k : r.rows()) {
                    if (!k.found() || k.lastEventMillis() < want.get(k.key())) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
