package io.sluice.local.connect;

import io.sluice.local.Ports;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode, in this JVM, with its REST API on 127.0.0.1. Its configs, offsets
 * and status live in Kafka topics, as in production, so a restarted worker resumes where it stopped. Plugins are
 * loaded from {@code plugin.path} with isolation, found through their {@code META-INF/services} entries
 * ({@code plugin.discovery=service_load}, ready in about 1.5 s). The {@code file} and {@code env} config providers
 * are enabled so connector configs hold references, never secrets.
 *
 * <p>The REST API has no authentication (it listens on 127.0.0.1 only, but every local user reaches it), so what
 * a connector config can do is limited: the {@code file} provider reads only below the stack's work directory
 * ({@code allowed.paths}), and connector client overrides are limited to tuning ({@link TuningOnlyOverridePolicy}).
 */
public final class ConnectWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);

    private final Map<String, String> props = new HashMap<>();
    private final int port;
    private Connect<?> connect;

    /**
     * @param bootstrapServers Kafka to store configs, offsets and status in
     * @param pluginPath       directory holding one sub-directory per plugin
     * @param secretsRoot      the only directory the {@code file} config provider may read below
     * @param port             REST port on 127.0.0.1, or 0 for a free one
     * @param overrides        extra worker properties, applied last
     */
    public ConnectWorker(String bootstrapServers, Path pluginPath, Path secretsRoot, int port,
                         Map<String, String> overrides) {
        this.port = port == 0 ? Ports.free() : port;
        props.putAll(workerProps(bootstrapServers, pluginPath, secretsRoot, this.port, overrides));
    }

    /**
     * Returns the worker properties of the local stack's Connect worker, shared by this in-process worker and
     * {@link ConnectWorkerProcess}: group and storage topics (so a restarted worker resumes), converters, REST on
     * 127.0.0.1, plugin discovery, the {@code file} config provider restricted to {@code secretsRoot}, the
     * {@code env} config provider, and the {@link TuningOnlyOverridePolicy}.
     *
     * @param bootstrapServers Kafka to store configs, offsets and status in
     * @param pluginPath       directory holding one sub-directory per plugin
     * @param secretsRoot      the only directory the {@code file} config provider may read below (the stack's work
     *                         directory, where the secrets files are)
     * @param port             REST port on 127.0.0.1 (not 0)
     * @param overrides        extra worker properties, applied last
     */
    public static Map<String, String> workerProps(String bootstrapServers, Path pluginPath, Path secretsRoot,
                                                  int port, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "sluice-connect");
        props.put("config.storage.topic", "_sluice-connect-configs");
        props.put("offset.storage.topic", "_sluice-connect-offsets");
        props.put("status.storage.topic", "_sluice-connect-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "5");
        props.put("status.storage.partitions", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter.schemas.enable", "false");
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", String.valueOf(port));
        props.put("plugin.path", pluginPath.toString());
        props.put("plugin.discovery", "service_load");
        // Sink tasks commit what preCommit reports. The commit interval also bounds how long an idle sink task
        // waits for its next put(), and so how late a time-based flush can come: keep it at 1 s.
        props.put("offset.flush.interval.ms", "1000");
        // Larger polls feed large ClickHouse batches.
        props.put("consumer.max.poll.records", "10000");
        props.put("consumer.fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
        props.put("connector.client.config.override.policy", TuningOnlyOverridePolicy.class.getName());
        props.put("config.providers", "file,env");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        props.put("config.providers.file.param.allowed.paths", secretsRoot.toAbsolutePath().normalize().toString());
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.putAll(overrides);
        return props;
    }

    /**
     * Starts the worker and waits until its REST API answers.
     *
     * @return this worker
     * @throws org.apache.kafka.connect.errors.ConnectException if the worker cannot start
     */
    public ConnectWorker start() {
        connect = new ConnectDistributed().startConnect(props);
        new ConnectRestClient(restUrl()).awaitReady(java.time.Duration.ofSeconds(60));
        log.info("Kafka Connect worker (distributed) REST API on {}", restUrl());
        return this;
    }

    /** Returns the REST URL, {@code http://127.0.0.1:port}. */
    public String restUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the worker: tasks are stopped and their offsets committed; idempotent. */
    @Override
    public void close() {
        if (connect != null) {
            connect.stop();
            connect.awaitStop();
            connect = null;
            log.info("Kafka Connect worker stopped");
        }
    }
}
