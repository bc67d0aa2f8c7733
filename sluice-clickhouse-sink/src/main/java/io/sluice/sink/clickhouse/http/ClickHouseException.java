package io.sluice.sink.clickhouse.http;

import java.util.Set;

/**
 * A failed request to ClickHouse. {@link #retriable()} is true for failures that may pass on a later attempt:
 * network errors and timeouts, and server errors such as TOO_MANY_PARTS or MEMORY_LIMIT_EXCEEDED. It is false for
 * errors that will fail again unchanged (syntax, unknown table or column, authentication, malformed data).
 * {@link #ambiguous()} is true when the server may have applied the request before the failure was seen (a
 * network error after the body was sent), which matters for deduplication.
 */
public final class ClickHouseException extends Exception {

    /**
     * Server error codes that are transient (ClickHouse {@code src/Common/ErrorCodes.cpp}): TIMEOUT_EXCEEDED 159,
     * READONLY 164, QUOTA_EXCEEDED 201, TOO_MANY_SIMULTANEOUS_QUERIES 202, NO_FREE_CONNECTION 203,
     * SOCKET_TIMEOUT 209, NETWORK_ERROR 210, NO_ZOOKEEPER 225 (a replicated table whose ZooKeeper session expired,
     * as when ZooKeeper restarts), MEMORY_LIMIT_EXCEEDED 241, TABLE_IS_READ_ONLY 242, TOO_MANY_PARTS 252,
     * TOO_FEW_LIVE_REPLICAS 285, UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE 286 (a quorum insert is refused before it
     * writes anything while the table's previous one waits for its quorum), REPLICA_IS_NOT_IN_QUORUM 289 (a
     * sequentially consistent read on a replica that lacks a part the quorum confirmed), UNKNOWN_STATUS_OF_INSERT
     * 319, ALL_CONNECTION_TRIES_FAILED 279, SYSTEM_ERROR 425, KEEPER_EXCEPTION 999.
     */
    private static final Set<Integer> TRANSIENT_CODES =
            Set.of(159, 164, 201, 202, 203, 209, 210, 225, 241, 242, 252, 279, 285, 286, 289, 319, 425, 999);

    /**
     * Server error codes after which an INSERT may still have been applied, in whole or in part: TIMEOUT_EXCEEDED 159
     * (the limit may strike after blocks were written), UNKNOWN_STATUS_OF_INSERT 319, KEEPER_EXCEPTION 999
     * (a replicated insert whose commit in Keeper was not confirmed) and NO_ZOOKEEPER 225 (the session may expire
     * while the insert runs; treated as unknown so the landed rows are checked, which costs one query).
     */
    private static final Set<Integer> OUTCOME_UNKNOWN_CODES = Set.of(159, 225, 319, 999);

    /**
     * Server error codes that a value of the inserted rows causes, so that the same rows fail again but the other
     * rows of the insert may pass: CANNOT_PARSE_TEXT 6, CANNOT_PARSE_INPUT_ASSERTION_FAILED 27, CANNOT_PARSE_DATE 38,
     * CANNOT_PARSE_DATETIME 41, ARGUMENT_OUT_OF_BOUND 69, CANNOT_CONVERT_TYPE 70,
     * CANNOT_PARSE_NUMBER 72, INCORRECT_DATA 117, TOO_LARGE_STRING_SIZE 131, ILLEGAL_DIVISION 153,
     * SIZES_OF_ARRAYS_DOESNT_MATCH 190, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE 321,
     * CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN 349, CANNOT_PARSE_UUID 376, FUNCTION_THROW_IF_VALUE_IS_NON_ZERO 395
     * (a {@code throwIf} in a MATERIALIZED or DEFAULT column, or in a materialized view), DECIMAL_OVERFLOW 407,
     * VIOLATED_CONSTRAINT 469 (a CHECK constraint, from 19.14). Never authentication, a missing table or column,
     * too many parts or memory: those fail every row alike.
     */
    private static final Set<Integer> ROW_DEPENDENT_CODES =
            Set.of(6, 27, 38, 41, 69, 70, 72, 117, 131, 153, 190, 321, 349, 376, 395, 407, 469);

    private final int code;
    private final int httpStatus;
    private final boolean retriable;
    private final boolean ambiguous;

    private ClickHouseException(String message, int code, int httpStatus, boolean retriable, boolean ambiguous,
                                Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.retriable = retriable;
        this.ambiguous = ambiguous;
    }

    /**
     * An error response from the server.
     *
     * @param httpStatus the HTTP status
     * @param code       the ClickHouse error code, or 0 when the response carries none
     * @param message    the server's message
     */
    public static ClickHouseException fromServer(int httpStatus, int code, String message) {
        boolean retriable = TRANSIENT_CODES.contains(code) || (code == 0 && httpStatus >= 500);
        return new ClickHouseException("ClickHouse returned HTTP " + httpStatus
                + (code == 0 ? "" : " (code " + code + ")") + ": " + message, code, httpStatus, retriable,
                OUTCOME_UNKNOWN_CODES.contains(code), null);
    }

    /**
     * A transport failure: connection refused or reset, timeout, TLS error.
     *
     * @param what      what was being done, for the message
     * @param sentBody  whether the request may have reached the server
     * @param cause     the I/O error
     */
    public static ClickHouseException fromTransport(String what, boolean sentBody, Throwable cause) {
        return new ClickHouseException(what + " failed: " + cause, 0, 0, true, sentBody, cause);
    }

    /** Returns the ClickHouse error code, or 0 if none (transport error, or a response without one). */
    public int code() {
        return code;
    }

    /** Returns the HTTP status, or 0 for a transport error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Returns true when a later attempt may succeed. */
    public boolean retriable() {
        return retriable;
    }

    /**
     * Returns true when the server refused an insert because of the values of some of its rows (a CHECK constraint,
     * a {@code throwIf}, a value it cannot parse or convert): the rows without such values would pass alone.
     */
    public boolean rowDependent() {
        return httpStatus != 0 && ROW_DEPENDENT_CODES.contains(code);
    }

    /** Returns true when the server may have applied the request even though it failed. */
    public boolean ambiguous() {
        return ambiguous;
    }
}
