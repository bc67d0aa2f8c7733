package io.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for the local stack's servers.
 *
 * <p>Ports come from below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768 to
 * 60999 by default). A port from {@code new ServerSocket(0)} lies inside that range, where any outgoing connection
 * (a Kafka client, the JDBC driver) may take it as its local port between the check and the server's bind: a
 * loaded machine showed ClickHouse exiting with "Address already in use". The kernel never picks a port below the
 * range for an outgoing connection, so only another server could take one of these.
 */
public final class Ports {

    /** Lowest port handed out; below it live well-known services. */
    private static final int LOWEST = 10_000;
    /** Ports handed out by this JVM, never handed out twice. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * Returns a port below the ephemeral range that was free on 127.0.0.1 a moment ago and that this JVM has not
     * handed out before; falls back to a port the kernel picks if the range leaves too little room.
     *
     * @throws UncheckedIOException if no port can be allocated
     */
    public static int free() {
        int highest = ephemeralLow() - 1;
        if (highest - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < 500; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
                if (!GIVEN.contains(port) && bindable(port) && GIVEN.add(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GIVEN.add(s.getLocalPort());
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate a free port on 127.0.0.1", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the low end of the ephemeral port range, or 32768 (Linux's default) where it cannot be read. */
    static int ephemeralLow() {
        try {
            // Read line-wise: Files.readString trusts procfs's file size and returned "3" of "32768\t60999" here.
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
                    .split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
