package io.sluice.sink.clickhouse;

import org.apache.kafka.common.config.ConfigDef;

/**
 * Generates the Markdown reference of the connector's options from {@link ClickHouseSinkConfig#CONFIG_DEF}.
 * The README embeds its output between {@code <!-- config:begin -->} and {@code <!-- config:end -->}; a unit test
 * fails when the two drift apart.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** Returns the Markdown table of every option, grouped as in the ConfigDef. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        String group = null;
        // configKeys() keeps definition order, which is already grouped.
        for (ConfigDef.ConfigKey k : ClickHouseSinkConfig.CONFIG_DEF.configKeys().values()) {
            if (!k.group.equals(group)) {
                group = k.group;
                b.append("\n### ").append(group).append("\n\n| Option | Type | Default | Valid values | Description |\n")
                        .append("|---|---|---|---|---|\n");
            }
            String def = k.hasDefault() ? (k.defaultValue == null || k.defaultValue.toString().isEmpty() ? "\"\""
                    : ConfigDef.convertToString(k.defaultValue, k.type)) : "(required)";
            b.append("| `").append(k.name).append("` | ").append(k.type.toString().toLowerCase())
                    .append(" | ").append(def.replace("|", "\\|"))
                    .append(" | ").append(k.validator == null ? "" : k.validator.toString().replace("|", "\\|"))
                    .append(" | ").append(k.documentation.replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    /** Prints {@link #markdown()}. */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
