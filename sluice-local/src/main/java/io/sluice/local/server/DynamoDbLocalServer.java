package io.sluice.local.server;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}) running in this JVM, in memory, listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local's own launcher binds Jetty to all interfaces and can send telemetry; this class wires its
 * request handler into a Jetty server with a single 127.0.0.1 connector instead and never enables telemetry.
 * The sqlite4java native library bundled in DynamoDB Local is extracted to {@code java.io.tmpdir}. Requires the
 * (optional) {@code com.amazonaws:DynamoDBLocal} dependency on the class path.
 *
 * <pre>{@code
 * try (DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0);
 *      DynamoDbClient client = DynamoClients.create(ddb.endpoint(), "us-east-1")) {
 *     TableSetup.createIfMissing(client, "sluice_device_windows");
 * }
 * }</pre>
 */
public final class DynamoDbLocalServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Server server;
    private final LocalDynamoDBRequestHandler requests;
    private final int port;

    private DynamoDbLocalServer(Server server, LocalDynamoDBRequestHandler requests, int port) {
        this.server = server;
        this.requests = requests;
        this.port = port;
    }

    /**
     * Starts an in-memory DynamoDB Local (shared database: one set of tables whatever the credentials and region).
     *
     * @param port TCP port on 127.0.0.1, or 0 for a free one
     * @return the running server; {@link #close()} it
     * @throws IOException if the port cannot be bound or the server fails to start
     */
    public static DynamoDbLocalServer start(int port) throws IOException {
        int chosen = port == 0 ? freePort() : port;
        LocalDynamoDBRequestHandler requests;
        try {
            requests = new LocalDynamoDBRequestHandler(0, true, null, true, false);
        } catch (Exception e) {
            throw new IOException("cannot create DynamoDB Local", e);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(chosen);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler();
        context.setHandler(new LocalDynamoDBServerHandler(requests, null));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            requests.shutdown();
            throw new IOException("cannot start DynamoDB Local on " + HOST + ":" + chosen, e);
        }
        return new DynamoDbLocalServer(server, requests, connector.getLocalPort());
    }

    /** Returns the TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Returns the endpoint URL, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** Stops the server and drops its in-memory tables. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local", e);
        } finally {
            requests.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }
}
