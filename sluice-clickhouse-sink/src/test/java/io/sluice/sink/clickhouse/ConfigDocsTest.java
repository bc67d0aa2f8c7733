package io.sluice.sink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    private static final String BEGIN = "<!-- config:begin -->";
    private static final String END = "<!-- config:end -->";

    /**
     * The README's option table must equal what the ConfigDef generates. To refresh it, run the build with
     * {@code -Dsluice.docs.update=true}.
     */
    @Test
    void readmeOptionTableIsCurrent() throws Exception {
        Path readme = Path.of("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int a = text.indexOf(BEGIN) + BEGIN.length();
        int b = text.indexOf(END);
        String generated = ConfigDocs.markdown();
        if (Boolean.getBoolean("sluice.docs.update")) {
            Files.writeString(readme, text.substring(0, a) + generated + text.substring(b), StandardCharsets.UTF_8);
            return;
        }
        assertThat(text.substring(a, b))
                .as("README option table is stale; rebuild with -Dsluice.docs.update=true")
                .isEqualTo(generated);
        assertThat(generated).contains("`clickhouse.url`", "`clickhouse.password` | password", "`batch.max.rows`");
    }
}
