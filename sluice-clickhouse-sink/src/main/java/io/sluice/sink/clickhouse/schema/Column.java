package io.sluice.sink.clickhouse.schema;

/** One insertable column of a target table, from {@code DESCRIBE TABLE}. Immutable. */
public final class Column {

    private final String name;
    private final ClickHouseType type;
    private final boolean hasDefaultExpression;

    /**
     * @param name                 column name, as in the table
     * @param type                 parsed column type
     * @param hasDefaultExpression true when the column has a {@code DEFAULT} expression: a record without the
     *                             field then gets the expression's value rather than the type's zero value
     */
    public Column(String name, ClickHouseType type, boolean hasDefaultExpression) {
        this.name = name;
        this.type = type;
        this.hasDefaultExpression = hasDefaultExpression;
    }

    /** Returns the column name. */
    public String name() {
        return name;
    }

    /** Returns the column type. */
    public ClickHouseType type() {
        return type;
    }

    /** Returns true when the column has a {@code DEFAULT} expression. */
    public boolean hasDefaultExpression() {
        return hasDefaultExpression;
    }

    @Override
    public String toString() {
        return name + " " + type;
    }
}
