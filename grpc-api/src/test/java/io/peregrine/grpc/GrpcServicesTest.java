package io.peregrine.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureValue;
import io.peregrine.grpc.v1.AdminServiceGrpc;
import io.peregrine.grpc.v1.DeployRequest;
import io.peregrine.grpc.v1.Event;
import io.peregrine.grpc.v1.FeatureServiceGrpc;
import io.peregrine.grpc.v1.FeatureType;
import io.peregrine.grpc.v1.Field;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import io.peregrine.grpc.v1.IngestAck;
import io.peregrine.grpc.v1.IngestRequest;
import io.peregrine.grpc.v1.JobStatus;
import io.peregrine.grpc.v1.MatchRow;
import io.peregrine.grpc.v1.RemoveRequest;
import io.peregrine.grpc.v1.StreamFeaturesRequest;
import io.peregrine.grpc.v1.SubscribeRequest;
import io.peregrine.grpc.v1.TriggerCheckpointRequest;
import io.peregrine.grpc.v1.TriggerSavepointRequest;
import io.peregrine.grpc.v1.TypedEvent;
import io.peregrine.grpc.v1.ValidateProgramResponse;
import io.peregrine.grpc.v1.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every RPC and its error codes, in process, over a real job reading its ingest log. */
class GrpcServicesTest {

    @TempDir
    Path tmp;

    private Fixtures.FixedView view;
    private ServedJob job;
    private PeregrineServer server;
    private ManagedChannel channel;
    private PeregrineClient client;

    @BeforeEach
    void start() throws Exception {
        start(ServerLimits.DEFAULTS.withMaxKeysPerRequest(5).withMaxEventsPerBatch(10).withSubscribers(4, 4));
    }

    private void start(ServerLimits limits) throws Exception {
        view = Fixtures.view();
        job = ServedJob.start(Fixtures.program(), Map.of(), tmp.resolve("log"), new MatchHub(Fixtures.program(), limits),
                null, b -> b.parallelism(1));
        String name = InProcessServerBuilder.generateName();
        server = PeregrineServer.builder().serverBuilder(InProcessServerBuilder.forName(name)).limits(limits)
                .job(job).featureView(view).start();
        channel = InProcessChannelBuilder.forName(name).build();
        client = PeregrineClient.over(channel, null);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
        job.close();
    }

    private static Status.Code code(Runnable r) {
        return assertThrows(StatusRuntimeException.class, r::run).getStatus().getCode();
    }

    private static BadRequest details(StatusRuntimeException e) throws Exception {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        assertNotNull(s, "no status details");
        return s.getDetails(0).unpack(BadRequest.class);
    }

    // ------------------------------------------------------------------ features

    @Test
    void shouldReturnTypedValuesStatusesAndWatermark() {
        GetFeaturesResponse r = client.getFeatures(GetFeaturesRequest.newBuilder().setFeatureSet("card_features")
                .addKeys("c1").addKeys("nobody").addKeys("c2").build());
        assertEquals(List.of("txn_count", "amount_sum", "last_country", "recent"), r.getFeaturesList());
        assertEquals(List.of(FeatureType.BIGINT, FeatureType.DOUBLE, FeatureType.STRING, FeatureType.LIST), r.getTypesList());
        assertEquals(1_000_000, r.getAsOfMillis());
        assertEquals(999_000, r.getWatermarkMillis());
        assertEquals(3, r.getRows(0).getValues(0).getValue().getInt64Value());
        assertEquals(12.5, r.getRows(0).getValues(1).getValue().getDoubleValue());
        assertEquals("NL", r.getRows(0).getValues(2).getValue().getStringValue());
        assertEquals(List.of(1.5, 5.0, 6.0), r.getRows(0).getValues(3).getValue().getListValue().getValuesList()
                .stream().map(Value::getDoubleValue).toList());
        assertEquals(999_500, r.getRows(0).getLastEventMillis());
        assertEquals("nobody", r.getRows(1).getKey());
        assertFalse(r.getRows(1).getFound());
        assertFalse(r.getRows(1).hasLastEventMillis());
        assertEquals(io.peregrine.grpc.v1.FeatureStatus.NOT_FOUND, r.getRows(1).getValues(0).getStatus());
        assertFalse(r.getRows(1).getValues(0).hasValue());
        assertEquals(io.peregrine.grpc.v1.FeatureStatus.OUT_OF_WINDOW, r.getRows(2).getValues(1).getStatus());
    }

    @Test
    void shouldReturnChosenFeaturesAsOfAGivenTimeThroughTheJavaClient() {
        FeatureResponse r = client.getFeatures(new FeatureRequest("card_features", List.of("c1"),
                List.of("last_country", "txn_count"), OptionalLong.of(5_000)));
        assertEquals(List.of("last_country", "txn_count"), r.features());
        assertEquals(5_000, r.asOfMillis());
        assertEquals(List.of(FeatureValue.present("NL"), FeatureValue.present(3L)), r.rows().get(0).values());
        assertEquals(999_500, r.rows().get(0).lastEventMillis());
    }

    @Test
    void shouldRejectBadFeatureRequestsWithDetails() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.getFeatures(
                GetFeaturesRequest.newBuilder().setFeatureSet("cards").addKeys("c1").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("unknown feature set cards (served: [card_features])", e.getStatus().getDescription());
        assertEquals("feature_set", details(e).getFieldViolations(0).getField());

        e = assertThrows(StatusRuntimeException.class, () -> client.getFeatures(GetFeaturesRequest.newBuilder()
                .setFeatureSet("card_features").addKeys("c1").addFeatures("txn_count").addFeatures("nope").addFeatures("nix").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("unknown feature nope of feature set card_features (and 1 more)", e.getStatus().getDescription());
        BadRequest bad = details(e);
        assertEquals(List.of("features[1]", "features[2]"),
                bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList());

        e = assertThrows(StatusRuntimeException.class, () -> client.getFeatures(GetFeaturesRequest.newBuilder()
                .setFeatureSet("card_features").addAllKeys(List.of("a", "b", "c", "d", "e", "f")).build()));
        assertEquals("6 keys is more than the limit of 5 per request", e.getStatus().getDescription());
        assertEquals("keys", details(e).getFieldViolations(0).getField());

        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> client.getFeatures(
                GetFeaturesRequest.newBuilder().setFeatureSet("card_features").build())));
        // the view's own refusal (a key its column cannot hold) is INVALID_ARGUMENT too
        e = assertThrows(StatusRuntimeException.class, () -> client.getFeatures(
                GetFeaturesRequest.newBuilder().setFeatureSet("card_features").addKeys(" ").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("a blank key is not a card_id", e.getStatus().getDescription());
    }

    @Test
    void shouldHonourDeadlines() {
        view.delayNanos = TimeUnit.MILLISECONDS.toNanos(300);
        FeatureServiceGrpc.FeatureServiceBlockingStub stub = FeatureServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(50, TimeUnit.MILLISECONDS);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, code(() -> stub.getFeatures(
                GetFeaturesRequest.newBuilder().setFeatureSet("card_features").addKeys("c1").build())));
    }

    @Test
    void shouldAnswerResourceExhaustedWhenTooManyReadsAreInFlight() throws Exception {
        stop();
        start(ServerLimits.DEFAULTS.withMaxConcurrentReads(1));
        view.delayNanos = TimeUnit.MILLISECONDS.toNanos(500);
        GetFeaturesRequest req = GetFeaturesRequest.newBuilder().setFeatureSet("card_features").addKeys("c1").build();
        // reads run on the thread that delivers them (in process: the caller's), so the slow one gets its own
        CompletableFuture<GetFeaturesResponse> slow = CompletableFuture.supplyAsync(() -> client.getFeatures(req));
        Thread.sleep(100); // the slow read now holds the only permit
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> client.getFeatures(req)));
        assertEquals(1, slow.get(5, TimeUnit.SECONDS).getRowsCount());
    }

    @Test
    void shouldStreamFeatureChanges() throws Exception {
        Iterator<GetFeaturesResponse> it = FeatureServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .streamFeatures(StreamFeaturesRequest.newBuilder().setIntervalMillis(10).setRead(GetFeaturesRequest
                        .newBuilder().setFeatureSet("card_features").addKeys("c1").addFeatures("txn_count")).build());
        assertEquals(3, it.next().getRows(0).getValues(0).getValue().getInt64Value());
        view.put("c1", 999_900, FeatureValue.present(4L), FeatureValue.present(13.0), FeatureValue.present("NL"),
                FeatureValue.present(List.of()));
        GetFeaturesResponse next = it.next();
        assertEquals(4, next.getRows(0).getValues(0).getValue().getInt64Value());
        assertEquals(999_900, next.getRows(0).getLastEventMillis());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> FeatureServiceGrpc.newBlockingStub(channel)
                .streamFeatures(StreamFeaturesRequest.newBuilder().setIntervalMillis(5).setRead(GetFeaturesRequest
                        .newBuilder().setFeatureSet("card_features").addKeys("c1")).build()).next()));
    }

    // ------------------------------------------------------------------ ingest and matches

    private static List<String> txns(Object... cardAmountTs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cardAmountTs.length; i += 3) {
            out.add(Fixtures.txn((String) cardAmountTs[i], ((Number) cardAmountTs[i + 1]).doubleValue(),
                    ((Number) cardAmountTs[i + 2]).longValue()));
        }
        return out;
    }

    @Test
    void shouldDeliverMatchesOfIngestedEventsToSubscribers() throws Exception {
        Iterator<MatchRow> rows = client.subscribe(SubscribeRequest.newBuilder().setPattern("big").setJson(true).build());
        waitFor(() -> job.hub().subscribers() == 1);
        List<IngestAck> acks = client.ingest("transactions", List.of(
                txns("c1", 10, 1_000, "c1", 900, 2_000), txns("c2", 700, 3_000, "c9", 1, 10_000)), false);
        assertEquals(2, acks.size());
        assertTrue(acks.get(0).getAccepted());
        assertEquals(0, acks.get(0).getFirstSequence());
        assertEquals(2, acks.get(1).getFirstSequence());
        assertEquals(1, acks.get(1).getBatchId());
        MatchRow first = rows.next();
        MatchRow second = rows.next();
        assertEquals("{\"card_id\":\"c1\",\"amount\":900.0,\"at\":\"1970-01-01T00:00:02.000Z\"}", first.getJson());
        assertEquals(List.of("card_id", "amount", "at"), first.getColumnsList().stream().map(Field::getName).toList());
        assertEquals(900.0, first.getColumns(1).getValue().getDoubleValue());
        assertEquals(2_000, first.getColumns(2).getValue().getInt64Value());
        assertEquals(0, first.getSequence());
        assertEquals("c2", second.getColumns(0).getValue().getStringValue());
        assertEquals(1, second.getSequence());
        assertEquals(4, job.logs().get("transactions").appended());
    }

    @Test
    void shouldTakeTypedEvents() throws Exception {
        Iterator<MatchRow> rows = client.subscribe(SubscribeRequest.newBuilder().setPattern("big").build());
        waitFor(() -> job.hub().subscribers() == 1);
        IngestRequest req = IngestRequest.newBuilder().setStream("transactions").setBatchId(7)
                .addEvents(typed("c5", 501.5, 5_000)).addEvents(typed("c5", 1, 9_000)).build();
        List<IngestAck> acks = client.ingestRequests(List.of(req));
        assertTrue(acks.get(0).getAccepted());
        assertEquals(7, acks.get(0).getBatchId());
        MatchRow r = rows.next();
        assertEquals("c5", r.getColumns(0).getValue().getStringValue());
        assertEquals(501.5, r.getColumns(1).getValue().getDoubleValue());
    }

    private static Event typed(String card, double amount, long ts) {
        return Event.newBuilder().setFields(TypedEvent.newBuilder()
                .addFields(Field.newBuilder().setName("card_id").setValue(Value.newBuilder().setStringValue(card)))
                .addFields(Field.newBuilder().setName("amount").setValue(Value.newBuilder().setDoubleValue(amount)))
                .addFields(Field.newBuilder().setName("ts").setValue(Value.newBuilder().setInt64Value(ts)))).build();
    }

    @Test
    void shouldRejectAMalformedBatchWholeAndGoOn() throws Exception {
        IngestRequest bad = IngestRequest.newBuilder().setStream("transactions").setBatchId(1)
                .addEvents(Event.newBuilder().setJson(Fixtures.txn("c1", 1, 1000)))
                .addEvents(Event.newBuilder().setJson("{\"card_id\":\"c1\",\"amount\":\"lots\",\"ts\":1}"))
                .addEvents(Event.newBuilder().setJson("{\"card_id\":"))
                .addEvents(Event.newBuilder().setFields(TypedEvent.newBuilder().addFields(Field.newBuilder().setName("color"))))
                .addEvents(Event.newBuilder())
                .build();
        IngestRequest good = IngestRequest.newBuilder().setStream("transactions").setBatchId(2)
                .addEvents(Event.newBuilder().setJson(Fixtures.txn("c1", 1, 1000))).build();
        List<IngestAck> acks = client.ingestRequests(List.of(bad, good));
        assertFalse(acks.get(0).getAccepted());
        assertEquals(0, acks.get(0).getAppended());
        assertFalse(acks.get(0).hasFirstSequence());
        assertEquals(List.of(1, 2, 3, 4), acks.get(0).getErrorsList().stream().map(e -> e.getIndex()).toList());
        assertEquals("field 'amount': expected DOUBLE, got a string", acks.get(0).getErrors(0).getReason());
        assertEquals("unknown column 'color' of stream transactions", acks.get(0).getErrors(2).getReason());
        assertEquals("the event has neither json nor fields", acks.get(0).getErrors(3).getReason());
        assertTrue(acks.get(1).getAccepted());
        assertEquals(0, acks.get(1).getFirstSequence()); // nothing of the bad batch was appended
        assertEquals(1, job.logs().get("transactions").appended());
    }

    @Test
    void shouldEndTheIngestCallForAnUnknownStreamOrAnOversizedBatch() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.ingest("payments",
                List.of(txns("c1", 1, 1)), false));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("unknown stream payments (ingest takes [transactions])", e.getStatus().getDescription());
        assertEquals("stream", details(e).getFieldViolations(0).getField());
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(Fixtures.txn("c", 1, i));
        }
        e = assertThrows(StatusRuntimeException.class, () -> client.ingest("transactions", List.of(eleven), false));
        assertEquals("11 events is more than the limit of 10 per batch", e.getStatus().getDescription());
        assertEquals(0, job.logs().get("transactions").appended());
        // the job is unharmed
        assertEquals(ServedJob.State.RUNNING, job.state());
        assertTrue(client.ingest("transactions", List.of(txns("c1", 1, 1)), false).get(0).getAccepted());
    }

    @Test
    void shouldAnswerResourceExhaustedWhenTheLogBacklogIsFull() throws Exception {
        stop();
        view = Fixtures.view();
        // a backlog of 300 bytes: a batch of ten ~60-byte events cannot be taken
        job = ServedJob.start(Fixtures.program(), Map.of(), tmp.resolve("log2"), new IngestLog.Limits(1 << 20, 1 << 20, 300),
                new MatchHub(Fixtures.program(), ServerLimits.DEFAULTS), null, b -> b.parallelism(1));
        String name = InProcessServerBuilder.generateName();
        server = PeregrineServer.builder().serverBuilder(InProcessServerBuilder.forName(name)).job(job).start();
        channel = InProcessChannelBuilder.forName(name).build();
        client = PeregrineClient.over(channel, null);
        List<String> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(Fixtures.txn("c" + i, 1, i));
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.ingest("transactions", List.of(ten), false));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertEquals("ingest log of transactions would have more than 300 bytes waiting to be written; retry later", e.getStatus().getDescription());
        assertEquals(0, job.logs().get("transactions").appended());
        assertTrue(client.ingest("transactions", List.of(ten.subList(0, 2)), false).get(0).getAccepted());
    }

    @Test
    void shouldWaitUntilIngestedEventsAreVisibleInTheFeatures() throws Exception {
        // the fixed view learns of c7's event 150 ms after the ack would otherwise go out
        CompletableFuture.runAsync(() -> {
            sleep(150);
            view.put("c7", 42_000, FeatureValue.present(1L), FeatureValue.present(5.0), FeatureValue.present("FR"),
                    FeatureValue.present(List.of(5.0)));
        });
        long start = System.nanoTime();
        List<IngestAck> acks = client.ingest("transactions", List.of(txns("c7", 5, 42_000)), true);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(acks.get(0).getAccepted());
        assertTrue(acks.get(0).getVisible());
        assertTrue(tookMillis >= 140, "acknowledged after " + tookMillis + " ms, before the features showed the event");
        assertTrue(job.logs().get("transactions").read() >= 1);
    }

    @Test
    void shouldAcknowledgeButNotClaimVisibilityWhenTheDeadlinePasses() throws Exception {
        List<IngestAck> acks = PeregrineClient.over(channel, null).ingestRequests(List.of()); // a call with no batches ends cleanly
        assertEquals(List.of(), acks);
        IngestRequest req = IngestRequest.newBuilder().setStream("transactions").setWaitVisible(true)
                .addEvents(Event.newBuilder().setJson(Fixtures.txn("c8", 5, 42_000))).build();
        CompletableFuture<IngestAck> ack = new CompletableFuture<>();
        StreamObserver<IngestRequest> out = io.peregrine.grpc.v1.IngestServiceGrpc.newStub(channel)
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS).ingest(new StreamObserver<>() {
                    @Override
                    public void onNext(IngestAck value) {
                        ack.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ack.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        out.onNext(req);
        IngestAck a = ack.get(5, TimeUnit.SECONDS);
        assertTrue(a.getAccepted());
        assertFalse(a.getVisible());
        assertEquals(1, job.logs().get("transactions").appended());
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownPattern() {
        assertEquals(Status.Code.NOT_FOUND, code(() -> client.subscribe(SubscribeRequest.newBuilder().setPattern("huge").build()).next()));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> client.subscribe(SubscribeRequest.newBuilder().setPattern("big")
                .setTimeouts(true).build()).next()));
    }

    @Test
    void shouldDropASlowSubscriberInsteadOfBlockingTheJob() throws Exception {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        io.peregrine.grpc.v1.MatchServiceGrpc.newStub(channel).subscribe(SubscribeRequest.newBuilder().setPattern("big").build(),
                new ClientResponseObserver<SubscribeRequest, MatchRow>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> s) {
                        s.disableAutoRequestWithInitial(0); // never reads: the server is never ready
                    }

                    @Override
                    public void onNext(MatchRow value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        waitFor(() -> job.hub().subscribers() == 1);
        var sink = job.hub().sink("big");
        io.peregrine.dsl.schema.Schema schema = Fixtures.program().pattern("big").orElseThrow().outputSchema();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            sink.write(Row.of(schema, "c" + i, 600.0, java.time.Instant.ofEpochMilli(i)));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "the sink blocked");
        Status s = ended.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode());
        assertEquals("subscriber fell 4 rows behind pattern big; dropped so the job is not held up", s.getDescription());
        waitFor(() -> job.hub().subscribers() == 0);
    }

    @Test
    void shouldKeepTheJobRunningWhenTheServerStopsUnderASubscriber() throws Exception {
        Iterator<MatchRow> rows = client.subscribe(SubscribeRequest.newBuilder().setPattern("big").build());
        waitFor(() -> job.hub().subscribers() == 1);
        server.close();
        io.peregrine.dsl.schema.Schema schema = Fixtures.program().pattern("big").orElseThrow().outputSchema();
        job.hub().sink("big").write(Row.of(schema, "c1", 600.0, java.time.Instant.ofEpochMilli(1)));
        assertEquals(Status.Code.UNAVAILABLE, code(rows::next));
        assertEquals(0, job.hub().subscribers());
        assertEquals(ServedJob.State.RUNNING, job.state());
    }

    @Test
    void shouldLimitTheNumberOfSubscribers() throws Exception {
        List<Iterator<MatchRow>> subs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            subs.add(client.subscribe(SubscribeRequest.newBuilder().setPattern("big").build()));
        }
        waitFor(() -> job.hub().subscribers() == 4);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> client.subscribe(SubscribeRequest.newBuilder()
                .setPattern("big").build()).next()));
    }

    // ------------------------------------------------------------------ admin, health, reflection

    @Test
    void shouldReportStatus() throws Exception {
        client.ingest("transactions", List.of(txns("c1", 10, 1_000, "c1", 20, 5_000)), false);
        waitFor(() -> client.status().getEvents() == 2);
        JobStatus s = client.status();
        assertEquals("RUNNING", s.getState());
        assertEquals(List.of("big"), s.getPatternsList());
        assertEquals(List.of("card_features"), s.getFeatureSetsList());
        assertEquals(1, s.getSourcesCount());
        assertEquals("transactions", s.getSources(0).getStream());
        assertEquals("ingest-log:" + tmp.resolve("log").resolve("transactions"), s.getSources(0).getDescription());
        assertEquals(2, s.getSources(0).getAppended());
        assertEquals(2, s.getSources(0).getRead());
        waitFor(() -> client.status().getWatermarkMillis() == 5_000 - 1_000 - 1);
        assertFalse(s.hasLastCheckpoint());
    }

    @Test
    void shouldValidatePrograms() {
        ValidateProgramResponse ok = client.validate("x.pg", Fixtures.PROGRAM);
        assertTrue(ok.getOk());
        assertEquals(List.of("transactions"), ok.getStreamsList());
        assertEquals(List.of("big"), ok.getPatternsList());
        ValidateProgramResponse bad = client.validate("x.pg", Fixtures.PROGRAM.replace("B.amount > 500", "B.amout > 500"));
        assertFalse(bad.getOk());
        assertEquals(1, bad.getDiagnosticsCount());
        var d = bad.getDiagnostics(0);
        assertEquals("ERROR", d.getSeverity());
        assertEquals(14, d.getLine());
        assertTrue(d.getMessage().contains("amout"), d.getMessage());
        assertTrue(d.getRendered().startsWith("x.pg:14:"), d.getRendered());
    }

    @Test
    void shouldCheckpointOnDemandAJobWithACheckpointDirectory() throws Exception {
        java.nio.file.Path dir = tmp.resolve("checkpoints");
        try (ServedJob checkpointed = ServedJob.start(Fixtures.program(), Map.of(), tmp.resolve("log-c"),
                new MatchHub(Fixtures.program(), ServerLimits.DEFAULTS), null, b -> b.parallelism(1).checkpointing(
                        new io.peregrine.runtime.checkpoint.CheckpointSettings(dir, java.time.Duration.ofHours(1), 3)))) {
            String name = InProcessServerBuilder.generateName();
            try (PeregrineServer s = PeregrineServer.builder().serverBuilder(InProcessServerBuilder.forName(name))
                    .job(checkpointed).checkpointing(Checkpointing.of(checkpointed.job(), dir)).start()) {
                io.grpc.ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
                try {
                    AdminServiceGrpc.AdminServiceBlockingStub admin = AdminServiceGrpc.newBlockingStub(ch);
                    var first = admin.triggerCheckpoint(TriggerCheckpointRequest.getDefaultInstance());
                    var second = admin.triggerCheckpoint(TriggerCheckpointRequest.getDefaultInstance());
                    assertTrue(second.getId() > first.getId(), first + " then " + second);
                    assertTrue(java.nio.file.Files.isRegularFile(java.nio.file.Path.of(second.getPath()).resolve("MANIFEST")),
                            second.getPath());
                    assertEquals(second.getId(), admin.getStatus(
                            io.peregrine.grpc.v1.GetStatusRequest.getDefaultInstance()).getLastCheckpoint().getId());
                } finally {
                    ch.shutdownNow();
                }
            }
        }
    }

    @Test
    void shouldTakeSavepointsAndRefuseWhatTheRuntimeCannotDoWithClearCodes() throws Exception {
        AdminServiceGrpc.AdminServiceBlockingStub admin = client.adminStub();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> admin.triggerCheckpoint(TriggerCheckpointRequest.getDefaultInstance()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("checkpoint failed: the job has no checkpoint directory", e.getStatus().getDescription());
        // a savepoint of the running job, restorable with run --from-savepoint
        java.nio.file.Path savepoint = tmp.resolve("savepoint-1");
        var info = admin.triggerSavepoint(TriggerSavepointRequest.newBuilder().setDirectory(savepoint.toString()).build());
        assertEquals(savepoint.toString(), info.getPath());
        assertTrue(java.nio.file.Files.isRegularFile(savepoint.resolve("MANIFEST")), "no MANIFEST in " + savepoint);
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> admin.triggerSavepoint(
                TriggerSavepointRequest.newBuilder().setDirectory(savepoint.toString()).build())), "one savepoint per directory");
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> admin.triggerSavepoint(TriggerSavepointRequest.getDefaultInstance())));
        e = assertThrows(StatusRuntimeException.class, () -> admin.deploy(DeployRequest.newBuilder().setName("new.pg")
                .setProgram("CREATE PATTERN nope AS SELECT * FROM nowhere").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(details(e).getFieldViolations(0).getDescription().startsWith("new.pg:1:"), details(e).toString());
        assertEquals(Status.Code.UNIMPLEMENTED, code(() -> admin.deploy(DeployRequest.newBuilder().setProgram(Fixtures.PROGRAM).build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> admin.remove(RemoveRequest.newBuilder().setName("huge").build())));
        assertEquals(Status.Code.UNIMPLEMENTED, code(() -> admin.remove(RemoveRequest.newBuilder().setName("big").build())));
        assertEquals(Status.Code.UNIMPLEMENTED, code(() -> admin.remove(RemoveRequest.newBuilder().setName("card_features").build())));
    }

    @Test
    void shouldServeHealthAndReflection() throws Exception {
        HealthCheckResponse h = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder()
                .setService("peregrine.v1.FeatureService").build());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, h.getStatus());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        CompletableFuture<Set<String>> names = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        Set<String> s = new TreeSet<>();
                        r.getListServicesResponse().getServiceList().forEach(x -> s.add(x.getName()));
                        names.complete(s);
                    }

                    @Override
                    public void onError(Throwable t) {
                        names.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        Set<String> services = names.get(5, TimeUnit.SECONDS);
        req.onCompleted();
        assertTrue(services.containsAll(Set.of("peregrine.v1.FeatureService", "peregrine.v1.IngestService",
                "peregrine.v1.MatchService", "peregrine.v1.AdminService", "grpc.health.v1.Health")), services.toString());
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
