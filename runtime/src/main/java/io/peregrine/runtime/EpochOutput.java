package io.peregrine.runtime;

import java.util.ArrayList;
import java.util.List;

/** What one worker emitted for the patterns while its watermarks advanced to one epoch's. */
final class EpochOutput {

    final long epoch;
    final boolean end;
    private final List<Emitted>[] perPattern;

    @SuppressWarnings("unchecked")
    EpochOutput(long epoch, int patterns, boolean end) {
        this.epoch = epoch;
        this.end = end;
        this.perPattern = new List[patterns];
    }

    void add(int pattern, Emitted e) {
        List<Emitted> l = perPattern[pattern];
        if (l == null) {
            l = new ArrayList<>();
            perPattern[pattern] = l;
        }
        l.add(e);
    }

    /** The pattern's rows in emission order, or null when none. */
    List<Emitted> rows(int pattern) {
        return perPattern[pattern];
    }
}
