package io.sluice.local;

import java.nio.file.Path;
import java.util.List;

/**
 * What the local stack runs and what it borrows. Each {@code external*} value, when set, replaces the local
 * component: an existing Kafka or MSK cluster, a ClickHouse server (for example ClickHouse Cloud on 8443), or a
 * Kafka Connect worker.
 *
 * @param workDir                  directory for data, generated configs and logs
 * @param externalBootstrapServers Kafka bootstrap servers to use instead of the local broker, or {@code null}
 * @param externalClickHouseUrl    ClickHouse HTTP(S) URL to use instead of the local server, or {@code null}
 * @param clickHouseUser           user for the external ClickHouse
 * @param clickHousePasswordEnv    environment variable that holds the external ClickHouse password; connectors
 *                                 receive the reference {@code ${env:NAME}}, never the value
 * @param externalConnectUrl       Kafka Connect REST URL to use instead of the local worker, or {@code null}; the
 *                                 worker must have the Sluice plugins installed and the env config provider
 * @param pluginZips               Connect plugin zips to install into the local worker's plugin.path
 */
public record StackOptions(Path workDir, String externalBootstrapServers, String externalClickHouseUrl,
                           String clickHouseUser, String clickHousePasswordEnv, String externalConnectUrl,
                           List<Path> pluginZips) {

    /** Environment variable read for the external ClickHouse password unless another is named. */
    public static final String DEFAULT_PASSWORD_ENV = "SLUICE_CLICKHOUSE_PASSWORD";

    /** Options for a fully local stack under {@code workDir} with the given plugins. */
    public static StackOptions local(Path workDir, List<Path> pluginZips) {
        return new StackOptions(workDir, null, null, "default", DEFAULT_PASSWORD_ENV, null, pluginZips);
    }
}
