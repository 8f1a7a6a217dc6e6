package io.peregrine.runtime;

import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.feature.UnknownFeatureException;
import io.peregrine.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The features of a running (or finished) job, read from any thread: a key is routed to the worker
 * that owns its key group, found in that worker's index and read under the key's lock (see
 * {@link FeatureOperator}). Before the job starts every key is not found.
 */
public final class JobFeatureView implements FeatureView {

    private final JobPlan plan;
    private volatile Worker[] workers = new Worker[0];

    JobFeatureView(JobPlan plan) {
        this.plan = plan;
    }

    void attach(List<Worker> running) {
        workers = running.toArray(new Worker[0]);
    }

    @Override
    public List<FeatureSetInfo> featureSets() {
        return plan.featureSets.stream().map(FeatureSetDefinition::info).toList();
    }

    @Override
    public FeatureResponse get(FeatureRequest request) {
        int set = plan.featureSetIndex(request.featureSet());
        if (set < 0) {
            throw new UnknownFeatureException("unknown feature set '" + request.featureSet() + "'; feature sets are "
                    + plan.featureSets.stream().map(FeatureSetDefinition::name).toList());
        }
        FeatureSetDefinition<Row> def = plan.featureSets.get(set);
        int[] features;
        List<String> names = new ArrayList<>();
        if (request.features().isEmpty()) {
            features = new int[def.features().size()];
            for (int f = 0; f < features.length; f++) {
                features[f] = f;
                names.add(def.features().get(f).name());
            }
        } else {
            features = new int[request.features().size()];
            for (int i = 0; i < features.length; i++) {
                String name = request.features().get(i);
                features[i] = def.indexOf(name);
                if (features[i] < 0) {
                    throw new UnknownFeatureException("feature set " + def.name() + " has no feature '" + name
                            + "'; its features are " + def.features().stream().map(f -> f.name()).toList());
                }
                names.add(name);
            }
        }
        Worker[] ws = workers;
        Schema schema = plan.featureSetSchema(set);
        int keyColumn = plan.keyColumnOfFeatureSet[set];
        KeyEncoder encoder = new KeyEncoder(schema, new int[] {keyColumn});
        Object[] values = new Object[schema.size()];
        FeatureOperator.Cell[] cells = new FeatureOperator.Cell[request.keys().size()];
        for (int i = 0; i < cells.length; i++) {
            String key = request.keys().get(i);
            values[keyColumn] = parseKey(def, schema, keyColumn, key);
            int len = encoder.encode(Row.of(schema, values));
            byte[] bytes = Arrays.copyOf(encoder.buffer(), len);
            int hash = KeyGroups.hash(bytes, 0, len);
            if (ws.length > 0) {
                int worker = KeyGroups.worker(KeyGroups.keyGroup(hash, plan.maxParallelism), plan.maxParallelism, ws.length);
                cells[i] = ws[worker].features[set].readable.get(new FeatureOperator.KeyBytes(bytes, hash));
            }
        }
        // the default "latest event time" is taken before reading: should a worker expire past it
        // meanwhile (it keeps moving), the read is retried at the new latest time, so one response has one time
        for (int attempt = 0; ; attempt++) {
            long watermark = Long.MIN_VALUE;
            for (Worker w : ws) {
                watermark = Math.max(watermark, w.features[set].watermark);
            }
            long asOf = request.asOfMillis().orElse(latest(ws, set));
            List<KeyFeatures> rows = new ArrayList<>(cells.length);
            try {
                for (int i = 0; i < cells.length; i++) {
                    FeatureOperator.Cell cell = cells[i];
                    // every worker's operator of a set has the same retention: ask the first
                    if (cell != null && ws[0].features[set].expiredAsOf(cell, asOf)) {
                        cell = null; // outlived every window: as if the sweep had dropped it already
                    }
                    rows.add(read(def, request.keys().get(i), cell, features, asOf));
                }
            } catch (IllegalArgumentException e) {
                if (request.asOfMillis().isPresent() || attempt == 10) {
                    throw new UnknownFeatureException(e.getMessage());
                }
                continue;
            }
            return new FeatureResponse(def.name(), names, rows, asOf, watermark);
        }
    }

    /** The default read time: the latest event time or finite watermark any worker has seen. */
    private static long latest(Worker[] ws, int set) {
        long latest = Long.MIN_VALUE;
        for (Worker w : ws) {
            FeatureOperator op = w.features[set];
            latest = Math.max(latest, Math.max(op.maxEventTime, op.finiteWatermark));
        }
        return latest;
    }

    private static KeyFeatures read(FeatureSetDefinition<Row> def, String key, FeatureOperator.Cell cell, int[] features,
                                    long asOf) {
        List<FeatureValue> out = new ArrayList<>(features.length);
        if (cell == null) {
            for (int i = 0; i < features.length; i++) {
                out.add(FeatureValue.notFound());
            }
            return new KeyFeatures(key, false, Long.MIN_VALUE, out);
        }
        long last;
        synchronized (cell) {
            last = cell.state.lastEventMillis();
            for (int f : features) {
                out.add(cell.state.value(f, asOf));
            }
        }
        return new KeyFeatures(key, true, last, out);
    }

    private static Object parseKey(FeatureSetDefinition<Row> def, Schema schema, int column, String key) {
        switch (schema.column(column).type().kind()) {
            case STRING:
                return key;
            case BIGINT:
            case INT:
                try {
                    long v = Long.parseLong(key.trim());
                    if (schema.column(column).type().kind() == io.peregrine.dsl.schema.DataType.Kind.INT
                            && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                        throw new NumberFormatException();
                    }
                    return v;
                } catch (NumberFormatException e) {
                    throw new UnknownFeatureException("key '" + key + "' is not a " + schema.column(column).type()
                            + " value of key column " + def.keyColumn() + " of feature set " + def.name());
                }
            default:
                throw new UnknownFeatureException("feature set " + def.name() + " has a key column of type "
                        + schema.column(column).type() + ", which reads cannot name");
        }
    }

    /**
     * Every key the job holds state for in a feature set, in the key column's natural order (as
     * {@code --features-out} lists them).
     */
    public List<String> keys(String featureSet) {
        int set = plan.featureSetIndex(featureSet);
        if (set < 0) {
            throw new UnknownFeatureException("unknown feature set '" + featureSet + "'");
        }
        Worker[] ws = workers;
        long latest = latest(ws, set);
        List<FeatureOperator.Cell> cells = new ArrayList<>();
        for (Worker w : ws) {
            FeatureOperator op = w.features[set];
            for (FeatureOperator.Cell c : op.readable.values()) {
                if (!op.expiredAsOf(c, latest)) {
                    cells.add(c);
                }
            }
        }
        cells.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
        return cells.stream().map(c -> c.keyText).toList();
    }
}
