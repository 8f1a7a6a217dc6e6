package io.peregrine.dsl;

import io.peregrine.dsl.schema.Row;
import io.peregrine.feature.FeatureSetDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A compiled program: its streams, patterns and feature sets in declaration order. A feature set's
 * {@link FeatureSetDefinition#stream()} names a stream or a pattern (whose output rows it aggregates).
 */
public record Program(SourceFile source, List<StreamDef> streams, List<CompiledPattern> patterns,
                      List<FeatureSetDefinition<Row>> featureSets) {

    public Program {
        streams = List.copyOf(streams);
        patterns = List.copyOf(patterns);
        featureSets = List.copyOf(featureSets);
    }

    /** A program without feature sets. */
    public Program(SourceFile source, List<StreamDef> streams, List<CompiledPattern> patterns) {
        this(source, streams, patterns, List.of());
    }

    public Optional<FeatureSetDefinition<Row>> featureSet(String name) {
        return featureSets.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Optional<StreamDef> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<CompiledPattern> pattern(String name) {
        return patterns.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
