package io.peregrine.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What one worker emitted while its watermarks advanced to one epoch's, per output: output
 * {@code 2p} holds pattern p's matches, {@code 2p + 1} its timed-out partial matches.
 */
final class EpochOutput {

    final long epoch;
    final boolean end;
    /** The checkpoint barrier that followed this epoch (the worker's state file is written), or null. */
    CheckpointBarrier barrier;
    private final List<Emitted>[] perPattern;

    @SuppressWarnings({"unchecked", "rawtypes"})
    EpochOutput(long epoch, int patterns, boolean end) {
        this.epoch = epoch;
        this.end = end;
        this.perPattern = new List[2 * patterns];
    }

    void add(int output, Emitted e) {
        List<Emitted> l = perPattern[output];
        if (l == null) {
            l = new ArrayList<>();
            perPattern[output] = l;
        }
        l.add(e);
    }

    /** An output's rows in emission order, or null when none. */
    List<Emitted> rows(int output) {
        return perPattern[output];
    }
}
