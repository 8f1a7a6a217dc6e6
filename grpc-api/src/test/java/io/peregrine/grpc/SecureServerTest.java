package io.peregrine.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.TriggerCheckpointRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, scopes, TLS and mutual TLS over real loopback sockets. */
class SecureServerTest {

    static final String READER = "reader-0123456789abcdef";
    static final String INGESTER = "ingester-0123456789abcdef";
    static final String ADMIN = "admin-0123456789abcdef";

    @TempDir
    Path tmp;

    private ServedJob job;
    private Path tokens;

    @BeforeEach
    void setUp() throws Exception {
        job = ServedJob.start(Fixtures.program(), Map.of(), tmp.resolve("log"),
                new MatchHub(Fixtures.program(), ServerLimits.DEFAULTS), null, b -> b.parallelism(1));
        tokens = tmp.resolve("tokens.txt");
        Files.write(tokens, List.of("# test tokens", READER + " read reader", INGESTER + " ingest", ADMIN + " admin,read ops"));
    }

    @AfterEach
    void tearDown() {
        job.close();
    }

    private static final GetFeaturesRequest READ = GetFeaturesRequest.newBuilder().setFeatureSet("card_features").addKeys("c1").build();

    private static Status.Code code(Runnable r) {
        return assertThrows(StatusRuntimeException.class, r::run).getStatus().getCode();
    }

    @Test
    void shouldCheckTokensAndScopesOverPlaintextLoopback() throws Exception {
        try (PeregrineServer server = PeregrineServer.builder().port(0).tokenFile(tokens).job(job)
                .featureView(Fixtures.view()).start()) {
            String target = "127.0.0.1:" + server.port();
            assertTrue(server.port() > 0);
            try (PeregrineClient none = PeregrineClient.builder(target).build();
                 PeregrineClient wrong = PeregrineClient.builder(target).token("nobody-0123456789abcdef").build();
                 PeregrineClient reader = PeregrineClient.builder(target).token(READER).build();
                 PeregrineClient ingester = PeregrineClient.builder(target).token(INGESTER).build();
                 PeregrineClient admin = PeregrineClient.builder(target).token(ADMIN).build()) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> none.getFeatures(READ));
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
                assertEquals("missing bearer token (authorization: Bearer TOKEN)", e.getStatus().getDescription());
                assertEquals(Status.Code.UNAUTHENTICATED, code(() -> wrong.getFeatures(READ)));
                assertEquals(3, reader.getFeatures(READ).getRows(0).getValues(0).getValue().getInt64Value());
                e = assertThrows(StatusRuntimeException.class, () -> ingester.getFeatures(READ));
                assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
                assertEquals("token@" + tokens + ":3 lacks scope read for peregrine.v1.FeatureService/GetFeatures",
                        e.getStatus().getDescription());
                // ingest needs the ingest scope
                assertEquals(Status.Code.PERMISSION_DENIED, code(() -> reader.ingest("transactions",
                        List.of(List.of(Fixtures.txn("c1", 1, 1))), false)));
                assertTrue(ingester.ingest("transactions", List.of(List.of(Fixtures.txn("c1", 1, 1))), false).get(0).getAccepted());
                // status is read, the rest of admin is admin
                assertEquals("RUNNING", reader.status().getState());
                assertEquals(Status.Code.PERMISSION_DENIED, code(() -> reader.validate("x", "")));
                assertTrue(admin.validate("x", Fixtures.PROGRAM).getOk());
                assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> admin.adminStub().triggerCheckpoint(
                        TriggerCheckpointRequest.getDefaultInstance())));
                // health needs no token
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(none.channel())
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
            }
        }
    }

    @Test
    void shouldRefuseANonLoopbackAddressWithoutTokens() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PeregrineServer.builder().bind("0.0.0.0").port(0).job(job).start());
        assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0 without a token file"), e.getMessage());
        try (PeregrineServer server = PeregrineServer.builder().bind("0.0.0.0").port(0).tokenFile(tokens).job(job).start()) {
            assertTrue(server.port() > 0);
        }
    }

    @Test
    void shouldServeTlsAndMutualTls() throws Exception {
        Fixtures.Certs certs = Fixtures.certs(Files.createDirectories(tmp.resolve("certs")));
        assumeTrue(certs != null, "openssl is not installed");
        try (PeregrineServer server = PeregrineServer.builder().port(0).tls(certs.serverCert(), certs.serverKey())
                .tokenFile(tokens).job(job).featureView(Fixtures.view()).start()) {
            String target = "localhost:" + server.port();
            try (PeregrineClient tls = PeregrineClient.builder(target).tls(certs.ca()).token(READER).build()) {
                assertEquals(1, tls.getFeatures(READ).getRowsCount());
            }
            // a client that trusts another CA, and one that speaks plaintext, do not get through
            try (PeregrineClient untrusting = PeregrineClient.builder(target).tls(certs.otherCa()).token(READER)
                    .deadline(Duration.ofSeconds(3)).build()) {
                assertEquals(Status.Code.UNAVAILABLE, code(() -> untrusting.getFeatures(READ)));
            }
            try (PeregrineClient plain = PeregrineClient.builder(target).token(READER).deadline(Duration.ofSeconds(3)).build()) {
                Status.Code c = code(() -> plain.getFeatures(READ));
                assertTrue(c == Status.Code.UNAVAILABLE || c == Status.Code.INTERNAL, c.toString());
            }
        }
        try (PeregrineServer server = PeregrineServer.builder().port(0).tls(certs.serverCert(), certs.serverKey())
                .clientCa(certs.ca()).job(job).featureView(Fixtures.view()).start()) {
            String target = "localhost:" + server.port();
            try (PeregrineClient mutual = PeregrineClient.builder(target).tls(certs.ca())
                    .clientCertificate(certs.clientCert(), certs.clientKey()).build()) {
                assertEquals(1, mutual.getFeatures(READ).getRowsCount());
            }
            try (PeregrineClient anonymous = PeregrineClient.builder(target).tls(certs.ca())
                    .deadline(Duration.ofSeconds(3)).build()) {
                assertEquals(Status.Code.UNAVAILABLE, code(() -> anonymous.getFeatures(READ)));
            }
        }
    }

    @Test
    void shouldRefuseMessagesOverTheSizeLimit() throws Exception {
        try (PeregrineServer server = PeregrineServer.builder().port(0).limits(ServerLimits.DEFAULTS.withMaxMessageBytes(2048))
                .job(job).featureView(Fixtures.view()).start();
             PeregrineClient client = PeregrineClient.builder("127.0.0.1:" + server.port()).build()) {
            GetFeaturesRequest huge = GetFeaturesRequest.newBuilder().setFeatureSet("card_features").addKeys("k".repeat(3000)).build();
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> client.getFeatures(huge)));
            assertEquals(1, client.getFeatures(READ).getRowsCount());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> client.ingest("transactions",
                    List.of(List.of("{\"card_id\":\"" + "x".repeat(3000) + "\",\"amount\":1,\"ts\":1}")), false)));
            assertEquals(0, job.logs().get("transactions").appended());
        }
    }

    @Test
    void shouldNeedBothHalvesOfTls() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PeregrineServer.builder().port(0).clientCa(tmp.resolve("ca.pem")).job(job).start());
        assertEquals("a client CA (mutual TLS) needs a server certificate and key", e.getMessage());
    }
}
