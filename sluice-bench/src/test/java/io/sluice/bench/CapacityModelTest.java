package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.bench.CapacityModel.Costs;
import io.sluice.bench.CapacityModel.Delivery;
import io.sluice.bench.CapacityModel.Load;
import io.sluice.bench.CapacityModel.OperationCosts;
import io.sluice.bench.CapacityModel.Pipeline;
import io.sluice.bench.CapacityModel.Prediction;
import org.junit.jupiter.api.Test;

/** The model's formulas on the plan of docs/capacity.md and on the edge where they stop applying. */
class CapacityModelTest {

    private static final Costs UNIT = new Costs(1, 2, 3, 4);
    private static final OperationCosts NONE = OperationCosts.NONE;
    private static final Delivery PUNCTUAL = Delivery.PUNCTUAL;

    /**
     * The plan's pipeline with the given sink tasks: 1 s flush and minimum insert spacing, 100,000-row batches, 13 producers, 1,000 partitions,
     * 25 ms linger, 4 brokers, Connect's default 60 s offset commit, 0.1 s per insert.
     */
    private static Pipeline plan(int tasks, double spanS) {
        return new Pipeline(tasks, 1, 1, 100_000, spanS, 60, 13, 1_000, 0.025, 4, 60, 0.1);
    }

    /**
     * The check's pipeline (CapacityCheck): 2 tasks, 1 s flush and minimum insert spacing, one producer with a 25 ms linger, 4 partitions on one
     * broker, the local worker's offset commit (seconds), 20 ms per insert.
     */
    private static Pipeline check(double commitS) {
        return new Pipeline(2, 1, 1, 100_000, 50, 60, 1, 4, 0.025, 1, commitS, 0.02);
    }

    @Test
    void planFiguresFollowTheFormulas() {
        // 100,000 devices at 10 Hz, 12 tasks, 1 s flush, 100,000-row batches, 10 s aggregator batches, 1 min windows.
        Prediction p = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(100_000, 10), plan(12, 10), 1);
        assertEquals(1_000_000, p.readings(), 1e-6);
        assertEquals(1, p.producerCpuS(), 1e-9);
        assertEquals(2, p.sinkCpuS(), 1e-9);
        assertEquals(3, p.clickHouseCpuS(), 1e-9);
        assertEquals(4, p.aggregatorCpuS(), 1e-9);
        // Each task reads 83 partitions on all 4 brokers from 13 producers: 52 streams, none with a gap over 30 ms
        // without the others', so no empty polls; 83,333 rows/s stay under a full batch per flush interval. After an
        // insert the next comes at the 60 s offset commit's empty poll once 1 s has passed, or by the timer about
        // 1 s + 1 / deliveries after the start: the timer, almost always, a little under one insert a second.
        assertEquals(0, p.emptyPolls(), 1e-12);
        double deliveries = 52 / (0.025 + 1 / (1e6 / 13 / 4));
        assertEquals(deliveries, p.deliveries(), 1e-6);
        double window = 1 / deliveries;
        assertEquals(12 / (1 + (1 - Math.exp(-window / 60)) * 60), p.inserts(), 1e-9);
        assertTrue(p.inserts() > 11.99 && p.inserts() < 12, "one insert per task per second");
        assertEquals(100_000 * (1 / 10.0 + 1 / 60.0), p.dynamoWrites(), 1e-6);
    }

    @Test
    void fullBatchesDecideInsertsWhenTheyFillBeforeTheFlushInterval() {
        // 6 tasks at 166,667 rows/s each fill 100,000-row batches 1.67 times a second.
        Prediction p = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(100_000, 10), plan(6, 10), 1);
        assertEquals(10, p.inserts(), 1e-9);
    }

    @Test
    void refusesBatchesShorterThanADevicesReportingInterval() {
        assertThrows(IllegalArgumentException.class, () -> CapacityModel.predict(UNIT, NONE, PUNCTUAL,
                new Load(10, 0.05), plan(1, 10), 1));
    }

    @Test
    void fixedCostsAddPerTaskSecondPerInsertPerWriteAndPerProducerBatch() {
        // The plan: about 12 inserts/s, 11,667 writes/s; 13 producers x 1,000 partitions, each partition getting 76.9
        // readings/s from a producer, more than one per 25 ms linger: 40 batches/s each, 520,000 batches/s.
        OperationCosts ops = new OperationCosts(1e-5, 0.01, 0.02, 0.001);
        Prediction p = CapacityModel.predict(UNIT, ops, PUNCTUAL, new Load(100_000, 10), plan(12, 10), 1);
        assertEquals(13 * 1_000 * 40, p.producerBatches(), 1e-6);
        assertEquals(1 + 1e-5 * 520_000, p.producerCpuS(), 1e-9);
        assertEquals(2 + 0.01 * 12, p.sinkCpuS(), 1e-9, "the worker pays per task per second, not per insert");
        assertEquals(3 + 0.02 * p.inserts(), p.clickHouseCpuS(), 1e-9);
        assertEquals(4 + 0.001 * 100_000 * (1 / 10.0 + 1 / 60.0), p.aggregatorCpuS(), 1e-6);
        assertEquals(1, p.perReading().producer(), 1e-9, "the per-reading part stays apart");
        assertEquals(4, p.perReading().aggregator(), 1e-9);
    }

    @Test
    void producerBatchesFollowTheLingerTheRecordRateOrFullBatches() {
        OperationCosts ops = OperationCosts.NONE;
        // One producer, 4 partitions, 25 ms linger: 10,000 readings/s give 2,500 per partition, a batch per linger.
        Pipeline check = check(1);
        assertEquals(160, CapacityModel.predict(UNIT, ops, PUNCTUAL, new Load(10_000, 1), check, 1).producerBatches(),
                1e-9);
        // 100 readings/s on 4 partitions: 25 per partition per second, fewer than one per linger: one per record.
        assertEquals(100, CapacityModel.predict(UNIT, ops, PUNCTUAL, new Load(100, 1), check, 1).producerBatches(),
                1e-9);
        // 1,000,000 readings/s on 4 partitions: 250,000 per partition per second fill 1,800-reading batches first.
        assertEquals(1e6 / 1_800, CapacityModel.predict(UNIT, ops, PUNCTUAL, new Load(100_000, 10), check, 1)
                .producerBatches(), 1e-6);
    }

    @Test
    void theMinimumSpacingHoldsInsertsNearOneASecondWhateverEmptiesPolls() {
        // The check: 2,000 readings/s from one producer to one broker; its requests come every 25 ms linger plus
        // 0.5 ms for the record that opens the next batch, shorter than the 30 ms caught-up poll: no gap empties a
        // poll by itself. A 1 s offset commit empties one poll a second; after an insert the next comes at the first
        // empty poll 1 s after it started, or by the timer 1 s + 1 / deliveries after it, whichever is first.
        Prediction punctual = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(10_000, 0.2), check(1), 150);
        double deliveries = 1 / (0.025 + 1 / 2_000.0);
        assertEquals(deliveries, punctual.deliveries(), 1e-9);
        assertEquals(0, punctual.emptyPolls(), 1e-12);
        double w = 1 / deliveries;
        assertEquals(2 * 150 / (1 + (1 - Math.exp(-w))), punctual.inserts(), 1e-9);
        // Delayed deliveries (0.25 empty polls per insert) or a 250 ms commit barely change that: the spacing holds.
        Prediction late = CapacityModel.predict(UNIT, NONE, new Delivery(0.25), new Load(10_000, 0.2), check(1), 150);
        Prediction commits = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(10_000, 0.2), check(0.25), 150);
        for (Prediction p : new Prediction[] {punctual, late, commits}) {
            assertTrue(p.inserts() / 2 / 150 > 0.97 && p.inserts() / 2 / 150 <= 1, "about one a second: " + p);
        }
        double n = late.inserts() / 2 / 150;
        assertEquals(0.25 * n, late.emptyPolls(), 1e-9);
    }

    @Test
    void withoutSpacingEveryEmptyPollInserts() {
        // flush.min.interval.ms = 0: a 250 ms commit's empty polls insert about four times a second, not one (the
        // model takes them as random: 1 / (0.02 s insert + 0.25 s mean wait)).
        Pipeline p = new Pipeline(2, 1, 0, 100_000, 50, 60, 1, 4, 0.025, 1, 0.25, 0.02);
        double n = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(10_000, 0.2), p, 1).inserts() / 2;
        double window = 1 + 1 / (1 / (0.025 + 1 / 2_000.0)) - 0.02;
        assertEquals(1 / (0.02 + (1 - Math.exp(-4 * window)) / 4), n, 1e-9);
        assertTrue(n > 3.7 && n < 3.8, "about 1 / 0.27 a second: " + n);
    }

    @Test
    void refusesADelayShareThatWouldNotConverge() {
        assertThrows(IllegalArgumentException.class, () -> new Delivery(1));
        assertThrows(IllegalArgumentException.class, () -> new Delivery(-0.1));
    }

    @Test
    void aLingerLongerThanTheCaughtUpPollEmptiesPollsButTheSpacingHolds() {
        // 19 producers with a 5 s linger, 4 brokers: a task gets 76 streams of one request per 5 s; a gap outlasts
        // 30 ms when none of the other 75 streams falls in it. Without the spacing inserts followed those empty polls,
        // about 5 per task per second; with it, the first empty poll 1 s after an insert started.
        Pipeline p = new Pipeline(12, 1, 1, 100_000, 10, 60, 19, 1_000, 5, 4, 60, 0.1);
        double period = 5 + 1 / (1e6 / 19 / 4);
        double lambda = 76 / period * Math.pow(1 - 0.03 / period, 75);
        double window = 1 / (76 / period);
        double rate = lambda + 1 / 60.0;
        double perTask = 1 / (1 + (1 - Math.exp(-rate * window)) / rate);
        Prediction s = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(100_000, 10), p, 1);
        assertEquals(lambda, s.emptyPolls(), 1e-9);
        assertEquals(12 * perTask, s.inserts(), 1e-9);
        assertTrue(s.inserts() > 11 && s.inserts() < 12, "about one insert per task per second, not 5");
    }

    @Test
    void insertsNeverOutnumberDeliveries() {
        // One producer sending every 2.025 s (a 25 ms linger after each record of 0.5 readings/s): every gap is an
        // empty poll and the table is idle for longer than the spacing, so each delivery is its own insert; but each
        // insert needs a delivery, so a 250 ms commit cannot make more.
        Prediction p = CapacityModel.predict(UNIT, NONE, PUNCTUAL, new Load(1, 0.5), new Pipeline(1, 1, 1, 100_000,
                10, 60, 1, 1, 0.025, 1, 0.25, 0.02), 1);
        assertEquals(1 / 2.025, p.deliveries(), 1e-9);
        assertEquals(1 / 2.025, p.inserts(), 1e-9);
    }
}
