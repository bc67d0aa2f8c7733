package io.sluice.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File helpers of the local stack: secrets files, emptying work directories and finding plugin zips. */
public final class LocalFiles {

    private LocalFiles() {
    }

    /**
     * Writes a secrets file so that no other user can read it at any moment: the text goes into a new file in the
     * same directory that is created with mode 0600 (never wider, whatever the umask), is flushed to disk, and is
     * then renamed over the target in one atomic step. A reader sees the old file or the new one, never a partly
     * written or wider-readable one, and another name (hard link) of the old file never receives the secret.
     *
     * @param file where the secret goes
     * @param text its content, UTF-8
     * @throws IOException if it cannot be written; the target is then unchanged
     */
    public static void writeSecret(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
