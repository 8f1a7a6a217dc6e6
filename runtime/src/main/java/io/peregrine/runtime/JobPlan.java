package io.peregrine.runtime;

import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureSetDefinition;
import io.peregrine.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A program checked and indexed for running: streams and patterns by number, each stream's event
 * time column and bound, and the distinct partitionings ("keyings") of each stream, so that an
 * event is keyed once per partitioning however many patterns share it.
 */
final class JobPlan {

    final Program program;
    final List<StreamDef> streams;
    final List<CompiledPattern> patterns;
    final int maxParallelism;
    final int[] streamOfPattern;
    final int[][] patternsByStream;
    /** Per stream: its event-time column, or -1 when no pattern reads it and it declares none. */
    final int[] eventTimeColumn;
    final long[] outOfOrderness;
    final int[] keyingStream;
    final int[][] keyingColumns;
    final int[][] keyingsByStream;
    final int[][] patternsByKeying;
    /** Per pattern: its keying, and its index among that keying's patterns. */
    final int[] keyingOfPattern;
    final int[] localIndexOfPattern;
    /** Feature sets; feature set f is keyed by keying {@code featureKeyingBase + f} (after the patterns' keyings). */
    final List<FeatureSetDefinition<Row>> featureSets;
    final int featureKeyingBase;
    final int[] streamOfFeatureSet;
    /** The key column's index in the set's rows: the stream's, or the pattern's output rows. */
    final int[] keyColumnOfFeatureSet;
    /** The pattern whose output rows a set aggregates, or -1 for a set over a stream. */
    final int[] patternOfFeatureSet;

    JobPlan(Program program, int maxParallelism) {
        KeyGroups.checkParallelism(maxParallelism, 1);
        this.program = program;
        this.streams = program.streams();
        this.patterns = program.patterns();
        this.maxParallelism = maxParallelism;
        int ns = streams.size();
        int np = patterns.size();
        Set<String> names = new HashSet<>();
        for (StreamDef s : streams) {
            if (!names.add(s.name())) {
                throw new JobException("stream " + s.name() + " is declared twice");
            }
        }
        Set<String> patternNames = new HashSet<>();
        streamOfPattern = new int[np];
        List<List<Integer>> byStream = new ArrayList<>();
        for (int s = 0; s < ns; s++) {
            byStream.add(new ArrayList<>());
        }
        for (int p = 0; p < np; p++) {
            CompiledPattern cp = patterns.get(p);
            if (!patternNames.add(cp.name())) {
                throw new JobException("pattern " + cp.name() + " is declared twice");
            }
            int s = indexOf(cp.input().name());
            if (s < 0) {
                throw new JobException("pattern " + cp.name() + " reads stream " + cp.input().name()
                        + ", which the program does not declare");
            }
            if (!streams.get(s).schema().equals(cp.input().schema())) {
                throw new JobException("pattern " + cp.name() + " expects another schema of stream " + cp.input().name());
            }
            streamOfPattern[p] = s;
            byStream.get(s).add(p);
        }
        patternsByStream = new int[ns][];
        eventTimeColumn = new int[ns];
        outOfOrderness = new long[ns];
        List<int[]> keyCols = new ArrayList<>();
        List<Integer> keyStream = new ArrayList<>();
        List<List<Integer>> keyPatterns = new ArrayList<>();
        keyingsByStream = new int[ns][];
        for (int s = 0; s < ns; s++) {
            StreamDef def = streams.get(s);
            patternsByStream[s] = byStream.get(s).stream().mapToInt(Integer::intValue).toArray();
            outOfOrderness[s] = def.maxOutOfOrderMillis();
            int col = def.rowtimeColumn();
            for (int p : patternsByStream[s]) {
                CompiledPattern cp = patterns.get(p);
                if (col < 0) {
                    col = cp.rowtimeColumn();
                } else if (cp.rowtimeColumn() != col) {
                    throw new JobException("pattern " + cp.name() + " orders by column "
                            + def.schema().column(cp.rowtimeColumn()).name() + " but stream " + def.name()
                            + " has its event time in column " + def.schema().column(col).name());
                }
            }
            if (col >= 0) {
                DataType.Kind k = def.schema().column(col).type().kind();
                if (k != DataType.Kind.TIMESTAMP && k != DataType.Kind.BIGINT) {
                    throw new JobException("event time column " + def.schema().column(col).name() + " of stream "
                            + def.name() + " is " + def.schema().column(col).type() + ", not TIMESTAMP(3)");
                }
            }
            eventTimeColumn[s] = col;
            List<Integer> mine = new ArrayList<>();
            for (int p : patternsByStream[s]) {
                int[] cols = patterns.get(p).partitionColumns();
                int k = -1;
                for (int j : mine) {
                    if (Arrays.equals(keyCols.get(j), cols)) {
                        k = j;
                    }
                }
                if (k < 0) {
                    k = keyCols.size();
                    keyCols.add(cols);
                    keyStream.add(s);
                    keyPatterns.add(new ArrayList<>());
                    mine.add(k);
                }
                keyPatterns.get(k).add(p);
            }
            keyingsByStream[s] = mine.stream().mapToInt(Integer::intValue).toArray();
        }
        // feature sets: one keying each, after the patterns' (an operator per keying, never shared)
        featureSets = program.featureSets();
        featureKeyingBase = keyCols.size();
        streamOfFeatureSet = new int[featureSets.size()];
        keyColumnOfFeatureSet = new int[featureSets.size()];
        patternOfFeatureSet = new int[featureSets.size()];
        for (int f = 0; f < featureSets.size(); f++) {
            FeatureSetDefinition<Row> fs = featureSets.get(f);
            if (!names.add(fs.name()) || patternNames.contains(fs.name())) {
                throw new JobException("feature set " + fs.name() + " has the name of another stream, pattern or feature set");
            }
            int s = indexOf(fs.stream());
            int p = patternIndex(fs.stream());
            patternOfFeatureSet[f] = s < 0 ? p : -1;
            if (s < 0 && p < 0) {
                throw new JobException("feature set " + fs.name() + " aggregates the rows of " + fs.stream()
                        + ", which is neither a stream nor a pattern of the program");
            }
            if (s < 0) {
                // a pattern's rows: the pattern's worker owns the key, so its output feeds the set there
                CompiledPattern cp = patterns.get(p);
                int[] part = cp.partitionColumns();
                if (part.length != 1 || !cp.outputSchema().column(0).name().equals(fs.keyColumn())) {
                    throw new JobException("feature set " + fs.name() + " over pattern " + cp.name()
                            + " must be keyed by the pattern's PARTITION BY column (exactly one), not " + fs.keyColumn());
                }
                s = streamOfPattern[p];
                streamOfFeatureSet[f] = s;
                keyColumnOfFeatureSet[f] = 0;
                keyCols.add(new int[] {part[0]});
                keyStream.add(s);
                continue;
            }
            if (eventTimeColumn[s] < 0) {
                throw new JobException("feature set " + fs.name() + " needs an event time: declare WATERMARK FOR in stream "
                        + fs.stream());
            }
            int col = streams.get(s).schema().find(fs.keyColumn())
                    .orElseThrow(() -> new JobException("feature set " + fs.name() + " keys by unknown column " + fs.keyColumn()))
                    .index();
            streamOfFeatureSet[f] = s;
            keyColumnOfFeatureSet[f] = col;
            keyCols.add(new int[] {col});
            keyStream.add(s);
            int[] old = keyingsByStream[s];
            keyingsByStream[s] = Arrays.copyOf(old, old.length + 1);
            keyingsByStream[s][old.length] = featureKeyingBase + f;
        }
        keyingColumns = keyCols.toArray(new int[0][]);
        keyingStream = keyStream.stream().mapToInt(Integer::intValue).toArray();
        patternsByKeying = new int[keyPatterns.size()][];  // pattern keyings only
        keyingOfPattern = new int[np];
        localIndexOfPattern = new int[np];
        for (int k = 0; k < patternsByKeying.length; k++) {
            patternsByKeying[k] = keyPatterns.get(k).stream().mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < patternsByKeying[k].length; i++) {
                keyingOfPattern[patternsByKeying[k][i]] = k;
                localIndexOfPattern[patternsByKeying[k][i]] = i;
            }
        }
    }

    int indexOf(String stream) {
        for (int s = 0; s < streams.size(); s++) {
            if (streams.get(s).name().equals(stream)) {
                return s;
            }
        }
        return -1;
    }

    /** The schema of the rows a feature set aggregates. */
    io.peregrine.dsl.schema.Schema featureSetSchema(int f) {
        int p = patternOfFeatureSet[f];
        return p >= 0 ? patterns.get(p).outputSchema() : streams.get(streamOfFeatureSet[f]).schema();
    }

    int featureSetIndex(String featureSet) {
        for (int f = 0; f < featureSets.size(); f++) {
            if (featureSets.get(f).name().equals(featureSet)) {
                return f;
            }
        }
        return -1;
    }

    int patternIndex(String pattern) {
        for (int p = 0; p < patterns.size(); p++) {
            if (patterns.get(p).name().equals(pattern)) {
                return p;
            }
        }
        return -1;
    }

    /** The name of a keying's state: {@code patterns/<stream>/<partition columns>}, stable across runs. */
    String keyingName(int keying) {
        StreamDef s = streams.get(keyingStream[keying]);
        StringBuilder sb = new StringBuilder("patterns/").append(s.name()).append('/');
        int[] cols = keyingColumns[keying];
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(s.schema().column(cols[i]).name());
        }
        return sb.toString();
    }

    KeyEncoder keyEncoder(int keying) {
        return new KeyEncoder(streams.get(keyingStream[keying]).schema(), keyingColumns[keying]);
    }
}
