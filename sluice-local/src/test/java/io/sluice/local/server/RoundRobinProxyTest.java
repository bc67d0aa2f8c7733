package io.sluice.local.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoundRobinProxyTest {

    private final List<ServerSocket> servers = new ArrayList<>();

    /** A backend on 127.0.0.1 that writes its number to every connection and closes it. */
    private InetSocketAddress backend(int id) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(s);
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write('0' + id);
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }

    private static int ask(RoundRobinProxy p) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.port()); InputStream in = s.getInputStream()) {
            return in.read() - '0';
        }
    }

    @AfterEach
    void close() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    @Test
    void eachConnectionGoesToTheNextBackendSkippingDrainedAndDownOnes() throws IOException {
        InetSocketAddress b0 = backend(0);
        InetSocketAddress b1 = backend(1);
        InetSocketAddress b2 = backend(2);
        try (RoundRobinProxy p = new RoundRobinProxy(0, List.of(b0, b1, b2))) {
            assertThat(List.of(ask(p), ask(p), ask(p), ask(p))).containsExactly(0, 1, 2, 0);
            p.drain(1);
            assertThat(List.of(ask(p), ask(p), ask(p))).doesNotContain(1);
            p.restore(1);
            servers.get(2).close(); // down: refuses connections
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seen.add(ask(p));
            }
            assertThat(seen).doesNotContain(2).contains(0, 1);
            assertThat(p.connections(0) + p.connections(1) + p.connections(2)).isEqualTo(13);
        }
    }
}
