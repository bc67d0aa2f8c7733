import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test oracle: runs SQL queries in chDB, an in-process build of a current ClickHouse engine (npm package
 * {@code @chdb/lib-linux-x64-gnu}), and prints each result. The sink's RowBinary tests use it to have a modern
 * ClickHouse decode the bytes that our encoders wrote, for types the local 18.16 server lacks (DateTime64, Map,
 * Date32, JSON, ...).
 *
 * <p>Needs Java 22 or later (the FFM API); run as a single-file program:
 * {@code java --enable-native-access=ALL-UNNAMED ChdbOracle.java <libchdb.so> <data dir> <queries file>}.
 * The queries file holds one query per line; results come back in JSONEachRow. For query number n (from 1) the
 * program prints one line, {@code n OK <result>} or {@code n ERR <message>}, with backslashes and newlines in the
 * text escaped as {@code \\} and {@code \n}. Exit status 0 unless chDB cannot be loaded or connected.
 *
 * <p>chDB's C API (chdb.h of chDB 3.x): {@code chdb_connect(argc, argv)} returns a pointer to a connection;
 * {@code chdb_query(conn, sql, format)} returns a result whose {@code chdb_result_error} is NULL on success.
 * Signal handlers are turned off before connecting so that chDB does not take over the JVM's signals.
 */
public final class ChdbOracle {

    public static void main(String[] args) throws Throwable {
        if (args.length != 3) {
            System.err.println("usage: ChdbOracle <libchdb.so> <data dir> <queries file>");
            System.exit(2);
        }
        Path lib = Path.of(args[0]);
        Path dataDir = Path.of(args[1]);
        List<String> queries = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
        Files.createDirectories(dataDir);
        Linker linker = Linker.nativeLinker();
        Arena arena = Arena.global();
        SymbolLookup chdb = SymbolLookup.libraryLookup(lib, arena);
        MethodHandle setSignalHandlers = linker.downcallHandle(chdb.findOrThrow("chdb_set_signal_handlers_enabled"),
                FunctionDescriptor.ofVoid(JAVA_BOOLEAN));
        MethodHandle connect = linker.downcallHandle(chdb.findOrThrow("chdb_connect"),
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        MethodHandle query = linker.downcallHandle(chdb.findOrThrow("chdb_query"),
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MethodHandle resultError = linker.downcallHandle(chdb.findOrThrow("chdb_result_error"),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        MethodHandle resultBuffer = linker.downcallHandle(chdb.findOrThrow("chdb_result_buffer"),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        MethodHandle resultLength = linker.downcallHandle(chdb.findOrThrow("chdb_result_length"),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        MethodHandle destroyResult = linker.downcallHandle(chdb.findOrThrow("chdb_destroy_query_result"),
                FunctionDescriptor.ofVoid(ADDRESS));
        MethodHandle closeConnection = linker.downcallHandle(chdb.findOrThrow("chdb_close_conn"),
                FunctionDescriptor.ofVoid(ADDRESS));

        setSignalHandlers.invokeExact(false);
        String[] argv = {"clickhouse", "--path=" + dataDir.toAbsolutePath()};
        MemorySegment argvSeg = arena.allocate(ADDRESS, argv.length);
        for (int i = 0; i < argv.length; i++) {
            argvSeg.setAtIndex(ADDRESS, i, arena.allocateFrom(argv[i]));
        }
        MemorySegment connHolder = (MemorySegment) connect.invokeExact(argv.length, argvSeg);
        if (connHolder.equals(MemorySegment.NULL)) {
            System.err.println("chdb_connect failed for data dir " + dataDir);
            System.exit(1);
        }
        MemorySegment conn = connHolder.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
        MemorySegment format = arena.allocateFrom("JSONEachRow");
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < queries.size(); n++) {
            String sql = queries.get(n);
            if (sql.isBlank()) {
                continue;
            }
            try (Arena call = Arena.ofConfined()) {
                MemorySegment result = (MemorySegment) query.invokeExact(conn, call.allocateFrom(sql), format);
                if (result.equals(MemorySegment.NULL)) {
                    out.append(n + 1).append(" ERR ").append("chdb_query returned NULL").append('\n');
                    continue;
                }
                MemorySegment err = (MemorySegment) resultError.invokeExact(result);
                String line;
                if (!err.equals(MemorySegment.NULL)) {
                    line = " ERR " + err.reinterpret(Long.MAX_VALUE).getString(0);
                } else {
                    long length = (long) resultLength.invokeExact(result);
                    MemorySegment buf = (MemorySegment) resultBuffer.invokeExact(result);
                    byte[] bytes = length == 0 ? new byte[0] : buf.reinterpret(length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    line = " OK " + new String(bytes, StandardCharsets.UTF_8);
                }
                destroyResult.invokeExact(result);
                out.append(n + 1).append(escape(line.stripTrailing())).append('\n');
            }
        }
        closeConnection.invokeExact(connHolder);
        System.out.print(out);
        System.out.flush();
        // chDB keeps background threads; leave without waiting for them.
        Runtime.getRuntime().halt(0);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
