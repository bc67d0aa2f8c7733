package io.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * ClickHouse's own HTTP ingest of the same rows, as context: the JSON lines pre-built into JSONEachRow bodies of
 * {@code batch} rows (not timed) and POSTed one after another from one thread. No Kafka involved.
 */
final class HttpIngestContender implements Contender {

    private final BenchContext ctx;
    private final List<byte[]> bodies = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    /** @param batch rows per insert */
    HttpIngestContender(BenchContext ctx, int batch) {
        this.ctx = ctx;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<byte[]> json = ctx.data().json;
        for (int i = 0; i < json.size(); i++) {
            buf.writeBytes(json.get(i));
            buf.write('\n');
            if ((i + 1) % batch == 0 || i == json.size() - 1) {
                bodies.add(buf.toByteArray());
                buf.reset();
            }
        }
    }

    /**
     * Loads the rows through ClickHouse's own JSON parser into a reference table (untimed) and returns their
     * checksum ({@link BenchRows#checksumSql()}): the value every run's table must equal. The table is dropped.
     *
     * @param batch rows per insert
     * @throws IllegalStateException if the load fails or the count differs
     */
    static String referenceChecksum(BenchContext ctx, int batch) throws InterruptedException {
        BenchRows data = ctx.data();
        String ref = "ref_" + data.shape;
        ctx.ch().execute(data.createTableSql(ref, null));
        HttpIngestContender http = new HttpIngestContender(ctx, batch);
        http.start(ref, 0);
        http.stop();
        if (http.failure() != null || ctx.ch().scalar("SELECT count() FROM " + ref) != data.json.size()) {
            throw new IllegalStateException("reference load failed", http.failure());
        }
        String checksum = ctx.ch().execute("SELECT " + data.checksumSql() + " FROM " + ref).trim();
        ctx.ch().execute("DROP TABLE " + ref);
        return checksum;
    }

    @Override
    public String name() {
        return "ClickHouse HTTP ingest (context, no Kafka)";
    }

    @Override
    public String delivery() {
        return "n/a";
    }

    @Override
    public boolean writesCoordinates() {
        return false;
    }

    @Override
    public void start(String table, int run) {
        String sql = "INSERT INTO " + table + " (" + ctx.data().columnList() + ") FORMAT JSONEachRow";
        thread = new Thread(() -> {
            try {
                for (byte[] b : bodies) {
                    ctx.post(sql, b, b.length, true);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }, "bench-http-ingest");
        thread.start();
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void stop() throws InterruptedException {
        thread.join(60_000);
    }
}
