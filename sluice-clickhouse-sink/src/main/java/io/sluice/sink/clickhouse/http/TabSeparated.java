package io.sluice.sink.clickhouse.http;

import java.util.ArrayList;
import java.util.List;

/** Parses ClickHouse's TabSeparated output (ClickHouse docs, "Formats", TabSeparated escaping rules). */
public final class TabSeparated {

    private TabSeparated() {
    }

    /**
     * @param text the response body, rows separated by newlines
     * @return rows of unescaped fields; an empty text gives no rows
     */
    public static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        if (text.isEmpty()) {
            return rows;
        }
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                switch (n) {
                    case 't': field.append('\t'); break;
                    case 'n': field.append('\n'); break;
                    case 'r': field.append('\r'); break;
                    case '0': field.append('\0'); break;
                    case 'b': field.append('\b'); break;
                    case 'f': field.append('\f'); break;
                    default: field.append(n);
                }
            } else if (c == '\t') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        row.add(field.toString());
        rows.add(row);
        return rows;
    }
}
