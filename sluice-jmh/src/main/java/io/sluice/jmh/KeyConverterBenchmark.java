package io.sluice.jmh;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.storage.StringConverter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a sink task's key converter costs per sensor record, whose key is the device id in decimal (as
 * {@code ReadingProducer} keys it; 1 to 5 ASCII digits here): {@code StringConverter} decodes it into a
 * {@code String}; {@code ByteArrayConverter} passes the consumer's bytes on, which {@code bytes} reproduces (its
 * {@code toConnectData} is that one allocation; it lives in connect-runtime, which this module does not load). The
 * worker's own per-call work around a converter (the plugin class loader swap, the error-tolerance stage) is the
 * same for both and not included. Score: ns per record, over batches of 1,000 keys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyConverterBenchmark {

    private static final int BATCH = 1_000;
    private final byte[][] keys = new byte[BATCH][];
    private final StringConverter strings = new StringConverter();

    @Setup(Level.Trial)
    public void setUp() {
        strings.configure(Map.of(), true);
        Random rnd = new Random(7);
        for (int i = 0; i < BATCH; i++) {
            keys[i] = String.valueOf(rnd.nextInt(100_000)).getBytes(US_ASCII);
        }
    }

    /** {@code StringConverter.toConnectData} per key. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void string(Blackhole bh) {
        for (byte[] k : keys) {
            bh.consume(strings.toConnectData("readings", k));
        }
    }

    /** What {@code ByteArrayConverter.toConnectData} does per key. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bytes(Blackhole bh) {
        for (byte[] k : keys) {
            bh.consume(new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, k));
        }
    }
}
