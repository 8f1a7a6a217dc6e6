package io.peregrine.cep;

import java.util.Objects;
import java.util.Optional;

/**
 * Where matching resumes after a match, as in FlinkCEP and SQL's {@code AFTER MATCH SKIP}. The Java
 * API defaults to {@link #noSkip()} like FlinkCEP; the DSL defaults to {@link #skipToNext()} like
 * Flink SQL.
 */
public sealed interface AfterMatchSkipStrategy {

    /** Every match is emitted, overlapping ones included. */
    static AfterMatchSkipStrategy noSkip() {
        return NoSkip.INSTANCE;
    }

    /** Discards partial matches that started with the same event as the emitted match. */
    static AfterMatchSkipStrategy skipToNext() {
        return SkipToNext.INSTANCE;
    }

    /** Discards partial matches that started at or before the last event of the emitted match. */
    static AfterMatchSkipStrategy skipPastLastEvent() {
        return SkipPastLastEvent.INSTANCE;
    }

    /** Discards partial matches that started before the first event the named element took. */
    static AfterMatchSkipStrategy skipToFirst(String element) {
        return new SkipToFirst(element, false);
    }

    /** Discards partial matches that started before the last event the named element took. */
    static AfterMatchSkipStrategy skipToLast(String element) {
        return new SkipToLast(element, false);
    }

    /** Stable id used in persisted formats. */
    int id();

    /** The element a {@code SKIP TO FIRST/LAST} strategy names. */
    default Optional<String> element() {
        return Optional.empty();
    }

    /** Whether emitting a match prunes anything (and so whether matches wait for earlier partial matches). */
    default boolean isSkipStrategy() {
        return true;
    }

    record NoSkip() implements AfterMatchSkipStrategy {
        static final NoSkip INSTANCE = new NoSkip();

        @Override
        public int id() {
            return 0;
        }

        @Override
        public boolean isSkipStrategy() {
            return false;
        }
    }

    record SkipToNext() implements AfterMatchSkipStrategy {
        static final SkipToNext INSTANCE = new SkipToNext();

        @Override
        public int id() {
            return 1;
        }
    }

    record SkipPastLastEvent() implements AfterMatchSkipStrategy {
        static final SkipPastLastEvent INSTANCE = new SkipPastLastEvent();

        @Override
        public int id() {
            return 2;
        }
    }

    /**
     * @param throwOnMiss fail when a match lacks the element or when skipping would restart at the
     *     match's own first event (an endless loop in SQL terms), as FlinkCEP's {@code throwExceptionOnMiss}
     */
    record SkipToFirst(String name, boolean throwOnMiss) implements AfterMatchSkipStrategy {
        public SkipToFirst {
            Objects.requireNonNull(name, "name");
        }

        public SkipToFirst throwExceptionOnMiss() {
            return new SkipToFirst(name, true);
        }

        @Override
        public int id() {
            return 3;
        }

        @Override
        public Optional<String> element() {
            return Optional.of(name);
        }
    }

    /** @param throwOnMiss as for {@link SkipToFirst} */
    record SkipToLast(String name, boolean throwOnMiss) implements AfterMatchSkipStrategy {
        public SkipToLast {
            Objects.requireNonNull(name, "name");
        }

        public SkipToLast throwExceptionOnMiss() {
            return new SkipToLast(name, true);
        }

        @Override
        public int id() {
            return 4;
        }

        @Override
        public Optional<String> element() {
            return Optional.of(name);
        }
    }
}
