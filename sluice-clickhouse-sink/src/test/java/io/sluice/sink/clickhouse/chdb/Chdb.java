package io.sluice.sink.clickhouse.chdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs SQL in chDB, an in-process build of a current ClickHouse (npm package {@value #PACKAGE}), through
 * {@code src/test/chdb/ChdbOracle.java} on a JDK 22 or later (the oracle binds libchdb.so with the FFM API).
 *
 * <p>libchdb.so (566 MB) is fetched once with {@code npm pack} into {@code ~/.cache/sluice/chdb} (or
 * {@code $SLUICE_CHDB_DIR}) and reused. The JDK is {@code $SLUICE_JAVA25_HOME}, or the newest JDK 22+ under
 * {@code /usr/lib/jvm}. Missing tools fail with {@link IllegalStateException} saying how to install them; tests
 * never skip.
 */
public final class Chdb {

    /** The chDB build used as the oracle: ClickHouse 26.7. */
    public static final String PACKAGE = "@chdb/lib-linux-x64-gnu@26.7.3-stable.1";

    private final Path java;
    private final Path library;
    private final Path oracle;
    private final Path workDir;

    private Chdb(Path java, Path library, Path oracle, Path workDir) {
        this.java = java;
        this.library = library;
        this.oracle = oracle;
        this.workDir = workDir;
    }

    /**
     * Finds (or fetches) chDB and a JDK 22+, from the failsafe properties {@code sluice.chdb.oracle} and
     * {@code sluice.chdb.workdir}.
     *
     * @throws IllegalStateException if npm, chDB or a JDK 22+ is missing, with install instructions
     */
    public static Chdb locate() {
        String oracle = System.getProperty("sluice.chdb.oracle");
        String work = System.getProperty("sluice.chdb.workdir");
        if (oracle == null || work == null) {
            throw new IllegalStateException("run through Maven: failsafe sets sluice.chdb.oracle and sluice.chdb.workdir");
        }
        try {
            Path workDir = Files.createDirectories(Path.of(work));
            return new Chdb(findJava(), findOrFetchLibrary(), Path.of(oracle), workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a directory for case files; chDB reads them by absolute path. */
    public Path workDir() {
        return workDir;
    }

    /**
     * Runs queries in one fresh chDB session.
     *
     * @param queries single-line SQL statements; results come back as JSONEachRow text
     * @return per query, {@code OK <rows>} or {@code ERR <message>}, in order
     * @throws IllegalStateException if the oracle fails or does not finish within 5 minutes
     */
    public List<String> run(List<String> queries) throws IOException, InterruptedException {
        Path queryFile = workDir.resolve("queries.sql");
        Files.write(queryFile, queries, StandardCharsets.UTF_8);
        Path data = workDir.resolve("chdb-data");
        deleteTree(data);
        Path output = workDir.resolve("oracle.out");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                oracle.toString(), library.toString(), data.toString(), queryFile.toString())
                .redirectErrorStream(false)
                .redirectOutput(output.toFile())
                .redirectError(workDir.resolve("oracle.err").toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("chDB oracle did not finish within 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chDB oracle exited with " + p.exitValue() + ": "
                    + Files.readString(workDir.resolve("oracle.err")));
        }
        String[] results = new String[queries.size()];
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            results[Integer.parseInt(line.substring(0, space)) - 1] = unescape(line.substring(space + 1));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                throw new IllegalStateException("chDB oracle printed no result for query " + (i + 1) + ": "
                        + queries.get(i));
            }
            out.add(results[i]);
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Path findJava() throws IOException {
        String home = System.getenv("SLUICE_JAVA25_HOME");
        if (home != null && !home.isEmpty()) {
            Path java = Path.of(home, "bin", "java");
            if (!Files.isExecutable(java) || featureVersion(Path.of(home)) < 22) {
                throw new IllegalStateException("SLUICE_JAVA25_HOME=" + home + " is not a JDK 22 or later");
            }
            return java;
        }
        Path best = null;
        int bestVersion = 0;
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(jvms)) {
                for (Path jdk : ds) {
                    int v = featureVersion(jdk);
                    if (v >= 22 && v > bestVersion && Files.isExecutable(jdk.resolve("bin/java"))) {
                        best = jdk.resolve("bin/java");
                        bestVersion = v;
                    }
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("the chDB type tests need a JDK 22 or later (Temurin 25 recommended): "
                    + "install package temurin-25-jdk from https://adoptium.net/installation/linux/ or set "
                    + "SLUICE_JAVA25_HOME to a JDK 25 (bin/setup explains)");
        }
        return best;
    }

    /** Reads JAVA_VERSION from a JDK's {@code release} file; 0 if there is none. */
    private static int featureVersion(Path jdk) throws IOException {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                int end = 0;
                while (end < v.length() && Character.isDigit(v.charAt(end))) {
                    end++;
                }
                return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
            }
        }
        return 0;
    }

    private static Path findOrFetchLibrary() throws IOException {
        String dirEnv = System.getenv("SLUICE_CHDB_DIR");
        Path cache = dirEnv != null && !dirEnv.isEmpty() ? Path.of(dirEnv)
                : Path.of(System.getProperty("user.home"), ".cache", "sluice", "chdb");
        String version = PACKAGE.substring(PACKAGE.lastIndexOf('@') + 1);
        Path dir = cache.resolve(version);
        Path lib = dir.resolve("package/libchdb.so");
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        Files.createDirectories(cache);
        Path tmp = Files.createTempDirectory(cache, "fetch-");
        try {
            exec(tmp, "npm is needed to fetch chDB for the type tests: sudo apt-get install -y npm (or bin/setup)",
                    "npm", "pack", PACKAGE, "--pack-destination", tmp.toString());
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("npm pack " + PACKAGE + " wrote no .tgz in " + tmp));
            }
            exec(tmp, "tar is needed to unpack chDB", "tar", "xzf", tgz.toString(), "-C", tmp.toString());
            Files.delete(tgz);
            if (!Files.isRegularFile(tmp.resolve("package/libchdb.so"))) {
                throw new IllegalStateException(PACKAGE + " holds no package/libchdb.so");
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(lib)) { // else another build fetched it first
                    throw e;
                }
            }
        } finally {
            deleteTree(tmp);
        }
        return lib;
    }

    private static void exec(Path dir, String installHint, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("fetch.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(installHint + " (" + e.getMessage() + ")", e);
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + Files.readString(dir.resolve("fetch.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
