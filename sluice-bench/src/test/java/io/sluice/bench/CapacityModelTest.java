package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.bench.CapacityModel.Costs;
import io.sluice.bench.CapacityModel.Load;
import io.sluice.bench.CapacityModel.OperationCosts;
import io.sluice.bench.CapacityModel.Pipeline;
import io.sluice.bench.CapacityModel.Prediction;
import org.junit.jupiter.api.Test;

/** The model's formulas on the plan of docs/capacity.md and on the edge where they stop applying. */
class CapacityModelTest {

    private static final Costs UNIT = new Costs(1, 2, 3, 4);
    private static final OperationCosts NONE = OperationCosts.NONE;

    /** The plan's pipeline with the given sink tasks: 1 s flush, 100,000-row batches, 13 producers, 25 ms linger. */
    private static Pipeline plan(int tasks, double spanS) {
        return new Pipeline(tasks, 1, 100_000, spanS, 60, 13, 1_000, 0.025);
    }

    @Test
    void planFiguresFollowTheFormulas() {
        // 100,000 devices at 10 Hz, 12 tasks, 1 s flush, 100,000-row batches, 10 s aggregator batches, 1 min windows.
        Prediction p = CapacityModel.predict(UNIT, NONE, new Load(100_000, 10), plan(12, 10), 1);
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
        Prediction p = CapacityModel.predict(UNIT, NONE, new Load(100_000, 10), plan(6, 10), 1);
        assertEquals(10, p.inserts(), 1e-9);
    }

    @Test
    void refusesBatchesShorterThanADevicesReportingInterval() {
        assertThrows(IllegalArgumentException.class, () -> CapacityModel.predict(UNIT, NONE, new Load(10, 0.05),
                plan(1, 10), 1));
    }

    @Test
    void operationCostsAddPerInsertPerWriteAndPerProducerBatch() {
        // The plan: 12 inserts/s, 11,667 writes/s; 13 producers x 1,000 partitions, each partition getting 76.9
        // readings/s from a producer, more than one per 25 ms linger: 40 batches/s each, 520,000 batches/s.
        OperationCosts ops = new OperationCosts(1e-5, 0.01, 0.02, 0.001);
        Prediction p = CapacityModel.predict(UNIT, ops, new Load(100_000, 10), plan(12, 10), 1);
        assertEquals(13 * 1_000 * 40, p.producerBatches(), 1e-6);
        assertEquals(1 + 1e-5 * 520_000, p.producerCpuS(), 1e-9);
        assertEquals(2 + 0.01 * 12, p.sinkCpuS(), 1e-9);
        assertEquals(3 + 0.02 * 12, p.clickHouseCpuS(), 1e-9);
        assertEquals(4 + 0.001 * 100_000 * (1 / 10.0 + 1 / 60.0), p.aggregatorCpuS(), 1e-6);
        assertEquals(1, p.perReading().producer(), 1e-9, "the per-reading part stays apart");
        assertEquals(4, p.perReading().aggregator(), 1e-9);
    }

    @Test
    void producerBatchesFollowTheLingerTheRecordRateOrFullBatches() {
        OperationCosts ops = OperationCosts.NONE;
        // One producer, 4 partitions, 25 ms linger: 10,000 readings/s give 2,500 per partition, a batch per linger.
        Pipeline check = new Pipeline(2, 1, 100_000, 10, 60, 1, 4, 0.025);
        assertEquals(160, CapacityModel.predict(UNIT, ops, new Load(10_000, 1), check, 1).producerBatches(), 1e-9);
        // 100 readings/s on 4 partitions: 25 per partition per second, fewer than one per linger: one per record.
        assertEquals(100, CapacityModel.predict(UNIT, ops, new Load(100, 1), check, 1).producerBatches(), 1e-9);
        // 1,000,000 readings/s on 4 partitions: 250,000 per partition per second fill 1,800-reading batches first.
        assertEquals(1e6 / 1_800, CapacityModel.predict(UNIT, ops, new Load(100_000, 10), check, 1)
                .producerBatches(), 1e-6);
    }
}
