package io.sluice.aggregator.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/** Collects formatted log messages of {@code io.sluice} loggers while open (log4j2 appender on the root config). */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext ctx;
    private final AbstractAppender appender;

    /** Starts capturing. */
    public LogCapture() {
        ctx = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLoggerName().startsWith("io.sluice")) {
                    lines.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
    }

    /** Returns the messages captured so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }
}
