package io.sluice.local.connect;

import io.sluice.local.LocalFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks Connect plugin zips into a {@code plugin.path} directory, the way an operator installs them. */
public final class PluginInstaller {

    private PluginInstaller() {
    }

    /**
     * Empties {@code pluginPath} and unpacks each zip into it.
     *
     * @param pluginPath the worker's plugin.path directory
     * @param zips       plugin zips (each holds one top-level directory with {@code lib/})
     * @throws UncheckedIOException if a zip cannot be read or an entry would escape the directory
     */
    public static void install(Path pluginPath, List<Path> zips) {
        try {
            LocalFiles.deleteTree(pluginPath);
            Files.createDirectories(pluginPath);
            for (Path zip : zips) {
                try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
                    ZipEntry e;
                    while ((e = z.getNextEntry()) != null) {
                        Path target = pluginPath.resolve(e.getName()).normalize();
                        if (!target.startsWith(pluginPath)) {
                            throw new IOException("zip entry escapes the plugin directory: " + e.getName());
                        }
                        if (e.isDirectory()) {
                            Files.createDirectories(target);
                        } else {
                            Files.createDirectories(target.getParent());
                            Files.copy(z, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install plugins into " + pluginPath + ": " + e.getMessage(), e);
        }
    }
}
