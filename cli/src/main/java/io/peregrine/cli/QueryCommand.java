package io.peregrine.cli;

import io.grpc.StatusRuntimeException;
import io.peregrine.grpc.PeregrineClient;
import io.peregrine.grpc.ProtoValues;
import io.peregrine.grpc.v1.FeatureStatus;
import io.peregrine.grpc.v1.FeatureValue;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import io.peregrine.grpc.v1.KeyFeatures;
import io.peregrine.grpc.v1.Value;
import io.peregrine.runtime.sink.JsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peregrine query FEATURE_SET KEY...}: reads features from a running server and prints them. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Read features of some keys from a running 'peregrine serve' and print a table (or JSON).",
            "Values: '-' when the key is unknown, 'out-of-window' when none of its events is in the window."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:printed", "1:the server failed or cannot be reached", "2:bad arguments (unknown feature set, feature or key)"})
final class QueryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FEATURE_SET", description = "The feature set.")
    String featureSet;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "Entity keys.")
    List<String> keys = new ArrayList<>();

    @Option(names = {"-f", "--features"}, split = ",", paramLabel = "NAME", description = "Only these features (default all).")
    List<String> features = new ArrayList<>();

    @Option(names = "--as-of", paramLabel = "T", description = "Values as of T: epoch milliseconds or ISO-8601 (2026-01-01T00:00:00Z).")
    String asOf;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @CommandLine.Mixin
    ServerOptions server = new ServerOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        GetFeaturesRequest.Builder req = GetFeaturesRequest.newBuilder().setFeatureSet(featureSet).addAllKeys(keys)
                .addAllFeatures(features);
        if (asOf != null) {
            req.setAsOfMillis(parseTime(asOf));
        }
        GetFeaturesResponse r;
        try (PeregrineClient client = server.client()) {
            r = client.getFeatures(req.build());
        } catch (StatusRuntimeException e) {
            throw server.failure(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(r) : table(r));
        out.flush();
        return ExitCodes.OK;
    }

    static long parseTime(String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException d) {
                throw new UserError(ExitCodes.USAGE, "--as-of takes epoch milliseconds or an ISO-8601 instant, not '" + t + "'");
            }
        }
    }

    private static String text(FeatureValue v) {
        if (v.getStatus() == FeatureStatus.NOT_FOUND) {
            return "-";
        }
        if (v.getStatus() == FeatureStatus.OUT_OF_WINDOW) {
            return "out-of-window";
        }
        Object o = ProtoValues.toJava(v.getValue());
        return o == null ? "null" : o.toString();
    }

    static String table(GetFeaturesResponse r) {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("key", "last_event"));
        header.addAll(r.getFeaturesList());
        rows.add(header.toArray(new String[0]));
        for (KeyFeatures k : r.getRowsList()) {
            List<String> row = new ArrayList<>();
            row.add(k.getKey());
            row.add(k.hasLastEventMillis() ? Instant.ofEpochMilli(k.getLastEventMillis()).toString() : "-");
            for (FeatureValue v : k.getValuesList()) {
                row.add(text(v));
            }
            rows.add(row.toArray(new String[0]));
        }
        int[] width = new int[header.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                sb.append(row[i]);
                if (i < row.length - 1) {
                    sb.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        sb.append(r.getFeatureSet()).append(" as of ").append(Instant.ofEpochMilli(r.getAsOfMillis()))
                .append(", watermark ").append(watermark(r.getWatermarkMillis())).append('\n');
        return sb.toString();
    }

    private static String watermark(long w) {
        return w == Long.MIN_VALUE ? "none" : w == Long.MAX_VALUE ? "end of input (values are final)"
                : Instant.ofEpochMilli(w).toString();
    }

    static String json(GetFeaturesResponse r) {
        JsonWriter w = new JsonWriter();
        w.raw("{\"feature_set\":").string(r.getFeatureSet())
                .raw(",\"as_of\":").number(r.getAsOfMillis())
                .raw(",\"watermark\":").number(r.getWatermarkMillis())
                .raw(",\"rows\":[");
        for (int k = 0; k < r.getRowsCount(); k++) {
            KeyFeatures row = r.getRows(k);
            if (k > 0) {
                w.raw((byte) ',');
            }
            w.raw("{\"key\":").string(row.getKey()).raw(",\"found\":").bool(row.getFound()).raw(",\"last_event\":");
            if (row.hasLastEventMillis()) {
                w.number(row.getLastEventMillis());
            } else {
                w.nullValue();
            }
            w.raw(",\"features\":{");
            for (int i = 0; i < row.getValuesCount(); i++) {
                if (i > 0) {
                    w.raw((byte) ',');
                }
                FeatureValue v = row.getValues(i);
                w.string(r.getFeatures(i)).raw(":{\"status\":").string(v.getStatus().name()).raw(",\"value\":");
                value(w, v.hasValue() ? v.getValue() : Value.getDefaultInstance());
                w.raw((byte) '}');
            }
            w.raw("}}");
        }
        w.raw("]}\n");
        return w.toString();
    }

    private static void value(JsonWriter w, Value v) {
        switch (v.getKindCase()) {
            case INT64_VALUE:
                w.number(v.getInt64Value());
                break;
            case DOUBLE_VALUE:
                w.number(v.getDoubleValue());
                break;
            case STRING_VALUE:
                w.string(v.getStringValue());
                break;
            case BOOL_VALUE:
                w.bool(v.getBoolValue());
                break;
            case LIST_VALUE:
                w.raw((byte) '[');
                for (int i = 0; i < v.getListValue().getValuesCount(); i++) {
                    if (i > 0) {
                        w.raw((byte) ',');
                    }
                    value(w, v.getListValue().getValues(i));
                }
                w.raw((byte) ']');
                break;
            default:
                w.nullValue();
        }
    }
}
