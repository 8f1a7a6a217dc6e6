package io.peregrine.cli;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.Backfill;
import io.peregrine.feature.FeatureInfo;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.runtime.format.RowDecoder;
import io.peregrine.runtime.format.RowDecoders;
import io.peregrine.runtime.format.Timestamps;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peregrine backfill PROGRAM --input STREAM=PATH --spine SPINE.csv --out OUT.csv}: point-in-time
 * features for training sets, with the code that computes them online ({@link Backfill}).
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Compute features as of the times of a spine file, for training sets.",
            "SPINE.csv has a header naming the feature set's key column and the stream's event-time column "
                    + "(epoch milliseconds or ISO-8601); any other columns pass through. OUT.csv repeats each spine "
                    + "row, in spine order, followed by the features as of its time (empty when absent)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the spine was answered", "1:failure while running", "2:bad arguments",
            "3:the program does not compile"})
final class BackfillCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program file (.cep).")
    Path program;

    @Option(names = {"-i", "--input"}, paramLabel = "STREAM=PATH", required = true,
            description = "The feature set's stream: a file (JSON lines or CSV with a header, .gz allowed) or a "
                    + "directory of them. Repeat for several files.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--spine", paramLabel = "SPINE.csv", required = true, description = "Keys and times to answer.")
    Path spine;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT.csv", required = true, description = "The answers.")
    Path out;

    @Option(names = "--feature-set", paramLabel = "NAME",
            description = "The feature set (needed when the program declares several).")
    String featureSet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Program compiled;
        try {
            compiled = Programs.compile(program.toString(), ValidateCommand.read(program));
        } catch (DslException e) {
            err.println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        FeatureSetDefinition<Row> set = featureSet(compiled);
        StreamDef stream = compiled.stream(set.stream()).orElseThrow(() -> new UserError(ExitCodes.USAGE,
                "feature set " + set.name() + " aggregates pattern " + set.stream() + "; backfill reads streams only"));
        if (stream.rowtimeColumn() < 0) {
            throw new UserError(ExitCodes.USAGE, "stream " + stream.name() + " declares no event time (WATERMARK FOR)");
        }
        List<Backfill.Keyed<Row>> events = readEvents(stream, set, err);
        events.sort(Comparator.comparingLong(Backfill.Keyed::timestamp));
        Spine rows = readSpine(stream, set);
        List<Backfill.Result> results;
        try {
            results = new Backfill<>(set).run(events.iterator(), rows.rows);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.FAILURE, e.getMessage());
        }
        List<FeatureInfo> features = set.info().features();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder(rows.header);
            for (FeatureInfo f : features) {
                header.append(',').append(FeatureText.quote(f.name()));
            }
            w.write(header.append('\n').toString());
            for (Backfill.Result r : results) {
                StringBuilder line = new StringBuilder(rows.lines.get(r.row().index()));
                for (int f = 0; f < features.size(); f++) {
                    line.append(',').append(FeatureText.csv(features.get(f).type(), r.values().get(f)));
                }
                w.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot write " + out + ": " + e.getMessage());
        }
        err.println(String.format("%d spine rows answered from %d events of %s", results.size(), events.size(),
                stream.name()));
        err.flush();
        return ExitCodes.OK;
    }

    private FeatureSetDefinition<Row> featureSet(Program compiled) {
        List<String> names = compiled.featureSets().stream().map(FeatureSetDefinition::name).toList();
        if (featureSet != null) {
            return compiled.featureSet(featureSet).orElseThrow(() -> new UserError(ExitCodes.USAGE,
                    "unknown feature set '" + featureSet + "'; " + program + " declares " + names));
        }
        if (names.size() != 1) {
            throw new UserError(ExitCodes.USAGE, names.isEmpty() ? program + " declares no feature set"
                    : program + " declares several feature sets " + names + ": choose one with --feature-set");
        }
        return compiled.featureSets().get(0);
    }

    private List<Backfill.Keyed<Row>> readEvents(StreamDef stream, FeatureSetDefinition<Row> set, PrintWriter err) {
        int keyColumn = stream.schema().find(set.keyColumn()).orElseThrow().index();
        int time = stream.rowtimeColumn();
        RowDecoder decoder = RowDecoders.forFormat(stream.options().getOrDefault("format", "json"), stream.schema());
        List<Backfill.Keyed<Row>> events = new ArrayList<>();
        long failed = 0;
        String firstFailure = null;
        for (Path file : files(stream)) {
            decoder.startSplit();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    RowDecoder.Status status = decoder.decode(b, 0, b.length);
                    String problem = null;
                    if (status == RowDecoder.Status.FAILED) {
                        problem = decoder.failure();
                    } else if (status == RowDecoder.Status.ROW) {
                        Row row = decoder.row();
                        if (row.isNull(time) || row.isNull(keyColumn)) {
                            problem = "no " + (row.isNull(time) ? "event time" : "key");
                        } else {
                            events.add(new Backfill.Keyed<>(String.valueOf(row.get(keyColumn)), row.getLong(time), row));
                        }
                    }
                    if (problem != null) {
                        failed++;
                        if (firstFailure == null) {
                            firstFailure = file + ":" + n + ": " + problem;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UserError(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
            }
        }
        if (failed > 0) {
            err.println(failed + " records could not be decoded and were left out; the first: " + firstFailure);
        }
        return events;
    }

    private List<Path> files(StreamDef stream) {
        List<Path> files = new ArrayList<>();
        for (String spec : inputs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new UserError(ExitCodes.USAGE, "--input needs STREAM=PATH, not '" + spec + "'");
            }
            if (!spec.substring(0, eq).equals(stream.name())) {
                throw new UserError(ExitCodes.USAGE, "--input names stream '" + spec.substring(0, eq)
                        + "', but the feature set reads " + stream.name());
            }
            Path p = Path.of(spec.substring(eq + 1));
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    list.filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UserError(ExitCodes.USAGE, "cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isReadable(p)) {
                files.add(p);
            } else {
                throw new UserError(ExitCodes.USAGE, "no such readable file or directory: " + p);
            }
        }
        return files;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** The spine's header and lines as written (passed through), and its rows. */
    private record Spine(String header, List<String> lines, List<Backfill.SpineRow> rows) {
    }

    private Spine readSpine(StreamDef stream, FeatureSetDefinition<Row> set) {
        String timeColumn = stream.schema().column(stream.rowtimeColumn()).name();
        Column key = stream.schema().find(set.keyColumn()).orElseThrow();
        List<String> lines;
        try {
            lines = Files.readAllLines(spine, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read spine " + spine + ": " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new UserError(ExitCodes.USAGE, "spine " + spine + " is empty; it needs a header naming "
                    + set.keyColumn() + " and " + timeColumn);
        }
        List<String> header = Csv.split(lines.get(0));
        int keyAt = header.indexOf(set.keyColumn());
        int timeAt = header.indexOf(timeColumn);
        if (keyAt < 0 || timeAt < 0) {
            throw new UserError(ExitCodes.USAGE, "spine " + spine + " needs columns " + set.keyColumn() + " and "
                    + timeColumn + "; its header has " + header);
        }
        List<String> body = new ArrayList<>();
        List<Backfill.SpineRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = Csv.split(line);
            if (cells.size() != header.size()) {
                throw new UserError(ExitCodes.USAGE, spine + ":" + (i + 1) + ": " + cells.size() + " cells, the header has "
                        + header.size());
            }
            String k = cells.get(keyAt);
            if (key.type().kind() != DataType.Kind.STRING) {
                try {
                    k = Long.toString(Long.parseLong(k.trim()));
                } catch (NumberFormatException e) {
                    throw new UserError(ExitCodes.USAGE, spine + ":" + (i + 1) + ": key '" + k + "' is not a "
                            + key.type());
                }
            }
            rows.add(new Backfill.SpineRow(k, time(cells.get(timeAt), i + 1), body.size()));
            body.add(line);
        }
        return new Spine(lines.get(0), body, rows);
    }

    private long time(String text, int line) {
        String t = text.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            long ms = Timestamps.parseIso(b, 0, b.length);
            if (ms == Long.MIN_VALUE) {
                throw new UserError(ExitCodes.USAGE, spine + ":" + line + ": time '" + text
                        + "' is neither epoch milliseconds nor ISO-8601");
            }
            return ms;
        }
    }

    /** Splits one CSV line (RFC 4180 quoting, no line breaks inside cells). */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            return cells;
        }
    }
}
