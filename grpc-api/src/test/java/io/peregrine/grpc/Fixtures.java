package io.peregrine.grpc;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.feature.FeatureInfo;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureType;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.feature.UnknownFeatureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Shared test data: a program with one pattern that matches every big transaction, and a feature view over fixed data. */
final class Fixtures {

    static final String PROGRAM = """
            CREATE STREAM transactions (
              card_id STRING, amount DOUBLE, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
            ) WITH (format = 'json');

            CREATE PATTERN big AS
            SELECT * FROM transactions
            MATCH_RECOGNIZE (
              PARTITION BY card_id
              ORDER BY ts
              MEASURES B.amount AS amount, B.ts AS at
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (B)
              DEFINE B AS B.amount > 500
            );
            """;

    private Fixtures() {}

    static Program program() {
        try {
            return Programs.compile("test.pg", PROGRAM);
        } catch (DslException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String txn(String card, double amount, long ts) {
        return "{\"card_id\":\"" + card + "\",\"amount\":" + amount + ",\"ts\":" + ts + "}";
    }

    /**
     * card_features on transactions KEY card_id: txn_count BIGINT, amount_sum DOUBLE, last_country
     * STRING, recent LIST. Keys are whatever the test puts; as-of reads shift nothing but are echoed.
     */
    static final class FixedView implements FeatureView {
        static final FeatureSetInfo SET = new FeatureSetInfo("card_features", "transactions", "card_id", List.of(
                new FeatureInfo("txn_count", FeatureType.BIGINT, "COUNT(*) OVER SLIDING INTERVAL '1' HOUR"),
                new FeatureInfo("amount_sum", FeatureType.DOUBLE, "SUM(amount) OVER SLIDING INTERVAL '1' HOUR"),
                new FeatureInfo("last_country", FeatureType.STRING, "LAST(country)"),
                new FeatureInfo("recent", FeatureType.LIST, "LAST_N(amount, 3)")));

        final Map<String, List<FeatureValue>> values = new ConcurrentHashMap<>();
        final Map<String, Long> lastEvent = new ConcurrentHashMap<>();
        volatile long latest = 1_000_000;
        volatile long watermark = 999_000;
        volatile long delayNanos;

        void put(String key, long lastEventMillis, FeatureValue... v) {
            values.put(key, List.of(v));
            lastEvent.put(key, lastEventMillis);
        }

        @Override
        public List<FeatureSetInfo> featureSets() {
            return List.of(SET);
        }

        @Override
        public FeatureResponse get(FeatureRequest request) {
            if (!request.featureSet().equals(SET.name())) {
                throw new UnknownFeatureException("unknown feature set " + request.featureSet());
            }
            if (delayNanos > 0) {
                long end = System.nanoTime() + delayNanos;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            List<String> names = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            if (request.features().isEmpty()) {
                for (int i = 0; i < SET.features().size(); i++) {
                    names.add(SET.features().get(i).name());
                    idx.add(i);
                }
            } else {
                for (String f : request.features()) {
                    int i = indexOf(f);
                    if (i < 0) {
                        throw new UnknownFeatureException("unknown feature " + f);
                    }
                    names.add(f);
                    idx.add(i);
                }
            }
            List<KeyFeatures> rows = new ArrayList<>();
            for (String k : request.keys()) {
                if (k.isBlank()) {
                    throw new UnknownFeatureException("a blank key is not a card_id");
                }
                List<FeatureValue> v = values.get(k);
                List<FeatureValue> out = new ArrayList<>();
                for (int i : idx) {
                    out.add(v == null ? FeatureValue.notFound() : v.get(i));
                }
                rows.add(new KeyFeatures(k, v != null, v == null ? Long.MIN_VALUE : lastEvent.get(k), out));
            }
            return new FeatureResponse(SET.name(), names, rows, request.asOfMillis().orElse(latest), watermark);
        }

        private static int indexOf(String f) {
            for (int i = 0; i < SET.features().size(); i++) {
                if (SET.features().get(i).name().equals(f)) {
                    return i;
                }
            }
            return -1;
        }
    }

    static FixedView view() {
        FixedView v = new FixedView();
        v.put("c1", 999_500, FeatureValue.present(3L), FeatureValue.present(12.5), FeatureValue.present("NL"),
                FeatureValue.present(List.of(1.5, 5.0, 6.0)));
        v.put("c2", 10_000, FeatureValue.present(0L), FeatureValue.outOfWindow(), FeatureValue.present("DE"),
                FeatureValue.outOfWindow());
        return v;
    }

    /** CA, server (localhost, 127.0.0.1) and client certificates made by openssl, or null when it is missing. */
    record Certs(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey, Path otherCa) {
    }

    static Certs certs(Path dir) throws IOException, InterruptedException {
        if (!run(dir, "openssl", "version")) {
            return null;
        }
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        String ec = "ec_paramgen_curve:prime256v1";
        boolean ok = run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "3650", "-subj", "/CN=peregrine-test-ca")
                && run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "other.key",
                "-out", "other.pem", "-days", "3650", "-subj", "/CN=some-other-ca")
                && run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=localhost")
                && run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "3650", "-extfile", "server.ext")
                && run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "client.key",
                "-out", "client.csr", "-subj", "/CN=peregrine-client")
                && run(dir, "openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "client.pem", "-days", "3650");
        if (!ok) {
            throw new IllegalStateException("openssl is present but could not make test certificates in " + dir);
        }
        return new Certs(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
                dir.resolve("client.pem"), dir.resolve("client.key"), dir.resolve("other.pem"));
    }

    private static boolean run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (IOException e) {
            return false;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
