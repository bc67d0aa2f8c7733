package io.sluice.sink.clickhouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink connector that writes records to ClickHouse tables over HTTP in RowBinary.
 *
 * <p>Every task gets the same configuration; Kafka Connect spreads topic partitions across tasks, so
 * {@code tasks.max} up to the number of partitions writes partitions in parallel. Options:
 * {@link ClickHouseSinkConfig}.
 */
public final class ClickHouseSinkConnector extends SinkConnector {

    /** Task config key holding the task's index, which names its metrics MBean on workers before Kafka 4.1. */
    static final String TASK_ID = "sluice.task.id";

    private Map<String, String> props;

    /** Returns the connector version, the Maven project version. */
    @Override
    public String version() {
        return Versions.version();
    }

    /**
     * Validates and keeps the configuration.
     *
     * @throws org.apache.kafka.common.config.ConfigException if the configuration is invalid
     */
    @Override
    public void start(Map<String, String> props) {
        new ClickHouseSinkConfig(props);
        this.props = new HashMap<>(props);
    }

    /** Returns {@link ClickHouseSinkTask}. */
    @Override
    public Class<? extends Task> taskClass() {
        return ClickHouseSinkTask.class;
    }

    /** Returns {@code maxTasks} copies of the connector configuration, each with its task index. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> c = new HashMap<>(props);
            c.put(TASK_ID, String.valueOf(i));
            configs.add(c);
        }
        return configs;
    }

    /** Nothing to release: the connector holds no resources. */
    @Override
    public void stop() {
    }

    /**
     * Validates each option on its own, then the URL's transport against
     * {@link ClickHouseSinkConfig#ALLOW_PLAINTEXT_PRIVATE_NETWORK}, so the REST API's validation reports what
     * {@link #start} would refuse.
     *
     * @param connectorConfigs the connector configuration
     * @return the validation result, with the transport problem as an error of {@code clickhouse.url}
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        ConfigValue url = null;
        ConfigValue allow = null;
        for (ConfigValue v : result.configValues()) {
            if (v.name().equals(ClickHouseSinkConfig.URL)) {
                url = v;
            } else if (v.name().equals(ClickHouseSinkConfig.ALLOW_PLAINTEXT_PRIVATE_NETWORK)) {
                allow = v;
            }
        }
        if (url != null && url.errorMessages().isEmpty() && url.value() != null
                && (allow == null || allow.errorMessages().isEmpty())) {
            boolean allowPrivate = allow != null && Boolean.TRUE.equals(allow.value());
            String problem = ClickHouseSinkConfig.plaintextProblem(url.value().toString(), allowPrivate);
            if (problem != null) {
                url.addErrorMessage(problem);
            }
        }
        return result;
    }

    /** Returns {@link ClickHouseSinkConfig#CONFIG_DEF}. */
    @Override
    public ConfigDef config() {
        return ClickHouseSinkConfig.CONFIG_DEF;
    }
}
