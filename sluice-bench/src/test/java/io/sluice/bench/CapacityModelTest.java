package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.bench.CapacityModel.Costs;
import io.sluice.bench.CapacityModel.Load;
import io.sluice.bench.CapacityModel.Pipeline;
import io.sluice.bench.CapacityModel.Prediction;
import org.junit.jupiter.api.Test;

/** The model's formulas on the plan of docs/capacity.md and on the edge where they stop applying. */
class CapacityModelTest {

    private static final Costs UNIT = new Costs(1, 2, 3, 4);

    @Test
    void planFiguresFollowTheFormulas() {
        // 100,000 devices at 10 Hz, 12 tasks, 1 s flush, 100,000-row batches, 10 s aggregator batches, 1 min windows.
        Prediction p = CapacityModel.predict(UNIT, new Load(100_000, 10), new Pipeline(12, 1, 100_000, 10, 60), 1);
        assertEquals(1_000_000, p.readings(), 1e-6);
        assertEquals(1, p.producerCpuS(), 1e-9);
        assertEquals(2, p.sinkCpuS(), 1e-9);
        assertEquals(3, p.clickHouseCpuS(), 1e-9);
        assertEquals(4, p.aggregatorCpuS(), 1e-9);
        assertEquals(12, p.inserts(), 1e-9, "each task's 83,333 rows/s stay under a full batch per flush interval");
        assertEquals(100_000 * (1 / 10.0 + 1 / 60.0), p.dynamoWrites(), 1e-6);
    }

    @Test
    void fullBatchesDecideInsertsWhenTheyFillBeforeTheFlushInterval() {
        // 6 tasks at 166,667 rows/s each fill 100,000-row batches 1.67 times a second.
        Prediction p = CapacityModel.predict(UNIT, new Load(100_000, 10), new Pipeline(6, 1, 100_000, 10, 60), 1);
        assertEquals(10, p.inserts(), 1e-9);
    }

    @Test
    void refusesBatchesShorterThanADevicesReportingInterval() {
        assertThrows(IllegalArgumentException.class, () -> CapacityModel.predict(UNIT, new Load(10, 0.05),
                new Pipeline(1, 1, 100_000, 10, 60), 1));
    }
}
