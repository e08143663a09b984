package dev.wif4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The line the {@link ExitAccount} agent prints at exit, and {@link ColdStartReport} reads back. */
class ExitAccountTest {

    @Test
    void theLineReadsBackAndCountsWhatThisJvmAllocated() {
        ExitAccount.Costs before = ExitAccount.Costs.parse(ExitAccount.line()).orElseThrow();
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            kept.add(new byte[1024 * 1024]);
        }
        ExitAccount.Costs after = ExitAccount.Costs.parse(ExitAccount.line()).orElseThrow();
        assertEquals(16, kept.size());
        assertTrue(after.allocatedKb() - before.allocatedKb() >= 16 * 1024,
                "16 MiB were allocated between the lines: " + before + " → " + after);
        assertTrue(before.cpuMillis() > 0, "this JVM has used CPU: " + before);
        assertTrue(after.jitMillis() >= before.jitMillis() && after.youngGcs() >= before.youngGcs()
                && after.gcMillis() >= before.gcMillis(), before + " → " + after);
    }

    @Test
    void theLineIsFoundAmongTheProbesOutput() {
        String output = "detect_ns=123\nexit_account cpu_ms=812 jit_ms=640 young_gcs=2 gc_ms=19 allocated_kb=28521\n";
        assertEquals(Optional.of(new ExitAccount.Costs(812, 640, 2, 19, 28521)), ExitAccount.Costs.parse(output));
        assertEquals(Optional.empty(), ExitAccount.Costs.parse("detect_ns=123\n"));
    }

    @Test
    void theReportTakesEachCostsMedian() {
        List<ExitAccount.Costs> runs = List.of(new ExitAccount.Costs(30, 3, 1, 9, 300),
                new ExitAccount.Costs(10, 1, 2, 7, 100), new ExitAccount.Costs(20, 2, 2, 8, 200));
        double[] medians = ColdStartReport.medianCosts(runs);
        assertEquals(List.of(20.0, 2.0, 2.0, 8.0, 200.0), List.of(medians[0], medians[1], medians[2], medians[3],
                medians[4]));
    }
}
