package io.sluice.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File helpers of the local stack: emptying work directories and finding plugin zips. */
public final class LocalFiles {

    private LocalFiles() {
    }

    /**
     * Deletes a directory and everything below it; a missing directory is not an error.
     *
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Returns the {@code .zip} files directly in a directory, for example the plugin zips the build copied.
     *
     * @throws IOException           if the directory cannot be listed
     * @throws IllegalStateException if it holds no zip, saying how to produce them
     */
    public static List<Path> zipsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> zips = s.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
            if (zips.isEmpty()) {
                throw new IllegalStateException("no plugin zips in " + dir + "; build them with ./mvnw install");
            }
            return zips;
        }
    }
}
