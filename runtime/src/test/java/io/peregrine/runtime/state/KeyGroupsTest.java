package io.peregrine.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KeyGroupsTest {

    private static int hash(String s) {
        return KeyGroups.hash(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldBeMurmur3X86With32BitsAndSeedZero() {
        // reference values of MurmurHash3_x86_32 (seed 0)
        assertEquals(0, hash(""));
        assertEquals(0x248bfa47, hash("hello"));
        assertEquals(0x2e4ff723, hash("The quick brown fox jumps over the lazy dog"));
        assertEquals(0x514e28b7, KeyGroups.hash(new byte[] {0}));
    }

    @Test
    void shouldHashASliceLikeTheWholeArray() {
        byte[] b = "xxhelloyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(hash("hello"), KeyGroups.hash(b, 2, 5));
    }

    @Property(seed = "20261127")
    void everyKeyGroupBelongsToExactlyTheWorkerWhoseRangeHoldsIt(@ForAll @IntRange(min = 1, max = 512) int maxParallelism,
                                                                 @ForAll @IntRange(min = 1, max = 512) int p) {
        int parallelism = Math.min(p, maxParallelism);
        int covered = 0;
        for (int w = 0; w < parallelism; w++) {
            KeyGroupRange r = KeyGroups.range(w, maxParallelism, parallelism);
            assertTrue(r.size() >= 1, "every worker owns a key group");
            assertEquals(covered, r.first(), "ranges are contiguous");
            for (int g = r.first(); g <= r.last(); g++) {
                assertEquals(w, KeyGroups.worker(g, maxParallelism, parallelism));
            }
            covered = r.last() + 1;
        }
        assertEquals(maxParallelism, covered);
    }

    @Property(seed = "20261127")
    void keyGroupsAreInRange(@ForAll int hash, @ForAll @IntRange(min = 1, max = 32768) int maxParallelism) {
        int g = KeyGroups.keyGroup(hash, maxParallelism);
        assertTrue(g >= 0 && g < maxParallelism);
    }

    @Test
    void shouldRejectAParallelismAboveTheMax() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyGroups.range(0, 4, 8));
        assertEquals("parallelism must be in 1..4 (the max parallelism), was 8", e.getMessage());
    }
}
