package dev.wif4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interval {@link ColdStartReport} reads a goal from: the order statistics that the binomial tables give for a
 * 95 % interval of the median, whatever order the rounds came in; and the class names it reads from a JVM's class
 * loading log, which {@code --cds=wif4j} archives.
 */
class ColdStartReportTest {

    /** 1..n, shuffled: the k-th smallest value is k. */
    private static List<Long> shuffledRanks(int n) {
        List<Long> values = new ArrayList<>(LongStream.rangeClosed(1, n).boxed().toList());
        Collections.shuffle(values, new Random(n));
        return values;
    }

    @Test
    void theIntervalIsTheTabulatedOrderStatistics() {
        // n: (k, n + 1 - k), from the binomial distribution with p = 1/2 (coverage 96.1 %, 95.9 %, 97.1 %, 95.4 %).
        assertArrayEquals(new long[] {2, 8}, ColdStartReport.medianInterval(shuffledRanks(9)));
        assertArrayEquals(new long[] {6, 15}, ColdStartReport.medianInterval(shuffledRanks(20)));
        assertArrayEquals(new long[] {10, 22}, ColdStartReport.medianInterval(shuffledRanks(31)));
        assertArrayEquals(new long[] {41, 61}, ColdStartReport.medianInterval(shuffledRanks(101)));
        // Large n must not overflow: 1000 rounds give ranks 469 and 532.
        assertArrayEquals(new long[] {469, 532}, ColdStartReport.medianInterval(shuffledRanks(1000)));
    }

    @Test
    void tooFewRoundsGiveNoInterval() {
        assertNull(ColdStartReport.medianInterval(shuffledRanks(5)));
        assertNull(ColdStartReport.medianInterval(List.of()));
        assertArrayEquals(new long[] {1, 6}, ColdStartReport.medianInterval(shuffledRanks(6)));
    }

    @Test
    void differencesArePairedRoundByRound() {
        List<Long> a = List.of(10L, 20L, 30L);
        List<Long> b = List.of(1L, 25L, 5L);
        assertArrayEquals(new Object[] {9L, -5L, 25L}, ColdStartReport.differences(a, b).toArray());
    }

    @Test
    void aClassLoadLogGivesTheLoadedNamesInOrder(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("class-load.log"), String.join("\n",
                "[0.012s][info][class,load] java.lang.Object source: shared objects file",
                "[0.310s][info][class,load     ] dev.wif4j.WorkloadIdentity source: file:/lib/wif4j-core.jar",
                "[0.311s][info][gc] Using G1",
                "[0.400s][info][class,load] dev.wif4j.internal.Bootstrap$Assembly source: file:/lib/wif4j-core.jar",
                ""));
        assertEquals(List.of("java.lang.Object", "dev.wif4j.WorkloadIdentity", "dev.wif4j.internal.Bootstrap$Assembly"),
                ColdStartReport.loadedClasses(log));
    }
}
