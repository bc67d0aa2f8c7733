package io.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1. */
public final class Ports {

    private Ports() {
    }

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago. Another process may take it before it is bound; the
     * stack binds immediately to keep that window small.
     *
     * @throws UncheckedIOException if no port can be allocated
     */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate a free port on 127.0.0.1", e);
        }
    }
}
