package io.ergon.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what a logger (and its children) log during a test. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private ch.qos.logback.classic.Level levelBefore;
    private boolean levelSet;

    private LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    /** Captures the logger named {@code name}. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Lets the logger log from {@code level} up while captured (the test configuration silences some). */
    public LogCapture atLevel(ch.qos.logback.classic.Level level) {
        if (!levelSet) {
            levelBefore = logger.getLevel();
            levelSet = true;
        }
        logger.setLevel(level);
        return this;
    }

    /** The MDC of each event logged so far, in order. */
    public List<java.util.Map<String, String>> mdcs() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getMDCPropertyMap).toList();
        }
    }

    /** The formatted messages logged so far. */
    public List<String> messages() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** True if some message contains {@code text}. */
    public boolean contains(String text) {
        return messages().stream().anyMatch(m -> m.contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        if (levelSet) {
            logger.setLevel(levelBefore);
        }
    }
}
