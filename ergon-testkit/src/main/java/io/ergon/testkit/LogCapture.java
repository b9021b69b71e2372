package io.ergon.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What a logger and its children log while captured, with expectations that wait for an event to be logged (a crash
 * is logged by the process that crashed, on its own thread, a moment after the test sees it end):
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("io.ergon")) {
 *     ... // a process crashes
 *     LogCapture.Event crash = log.expectLoggedOnce(Level.ERROR, "boom");
 * }
 * }</pre>
 *
 * <p>It needs Logback as the SLF4J provider (add {@code logback-classic} with test scope); created without it, it
 * says so. Closing it detaches it and restores the logger's level.
 */
public final class LogCapture implements AutoCloseable {
    /** One logged event, as captured. */
    public record Event(Level level, String logger, String message, String throwable, Map<String, String> mdc) {
        @Override
        public String toString() {
            return level + " " + logger + ": " + message + (throwable == null ? "" : " [" + throwable + "]");
        }
    }

    private final Logger logger;
    private final Appender appender = new Appender();
    private ch.qos.logback.classic.Level levelBefore;
    private boolean levelSet;

    private LogCapture(String name) {
        if (!(LoggerFactory.getLogger(name) instanceof Logger l)) {
            throw new IllegalStateException("LogCapture needs Logback as the SLF4J provider, but it is "
                    + LoggerFactory.getILoggerFactory().getClass().getName()
                    + ": add ch.qos.logback:logback-classic with test scope");
        }
        this.logger = l;
        appender.setContext(l.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures the logger of {@code type} (and its children). */
    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    /** Captures the logger named {@code name} (and its children), e.g. {@code "io.ergon"}. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Lets the logger log from {@code level} up while captured (a test configuration may silence it). */
    public LogCapture atLevel(Level level) {
        if (!levelSet) {
            levelBefore = logger.getLevel();
            levelSet = true;
        }
        logger.setLevel(ch.qos.logback.classic.Level.toLevel(level.name()));
        return this;
    }

    /** The events logged so far, in order. */
    public List<Event> events() {
        return appender.snapshot();
    }

    /** The formatted messages logged so far, in order. */
    public List<String> messages() {
        return events().stream().map(Event::message).toList();
    }

    /** True if some message logged so far contains {@code text}. */
    public boolean contains(String text) {
        return events().stream().anyMatch(e -> e.message().contains(text));
    }

    /**
     * Waits up to {@link TestProbe#DEFAULT_TIMEOUT} for an event at {@code level} whose message (or throwable)
     * contains {@code text}, and returns the first.
     */
    public Event expectLogged(Level level, String text) {
        return expectLogged(matching(level, text), level + " containing '" + text + "'", TestProbe.DEFAULT_TIMEOUT);
    }

    /** Waits up to {@code timeout} for an event that {@code match} accepts; {@code what} describes it. */
    public Event expectLogged(Predicate<Event> match, String what, Duration timeout) {
        List<Event> found = appender.await(match, timeout);
        if (found.isEmpty()) {
            throw new AssertionError("expected a log event " + what + " within " + timeout + "; logged: " + events());
        }
        return found.get(0);
    }

    /**
     * Like {@link #expectLogged(Level, String)}, and then checks that it was logged exactly once (so far).
     */
    public Event expectLoggedOnce(Level level, String text) {
        Event first = expectLogged(level, text);
        List<Event> all = events().stream().filter(matching(level, text)).toList();
        if (all.size() != 1) {
            throw new AssertionError("expected one log event " + level + " containing '" + text + "' but got "
                    + all.size() + ": " + all);
        }
        return first;
    }

    /** Fails if an event at {@code level} or above has been logged so far. */
    public void expectNothingAtOrAbove(Level level) {
        List<Event> bad = events().stream().filter(e -> e.level().toInt() >= level.toInt()).toList();
        if (!bad.isEmpty()) {
            throw new AssertionError("expected nothing logged at " + level + " or above, but got: " + bad);
        }
    }

    private static Predicate<Event> matching(Level level, String text) {
        return e -> e.level() == level && (e.message().contains(text)
                || (e.throwable() != null && e.throwable().contains(text)));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        if (levelSet) {
            logger.setLevel(levelBefore);
        }
    }

    /** Keeps what it is given, and wakes whoever waits for an event. */
    private static final class Appender extends AppenderBase<ILoggingEvent> {
        private final List<Event> events = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            IThrowableProxy t = e.getThrowableProxy();
            Event event = new Event(Level.valueOf(e.getLevel().toString()), e.getLoggerName(),
                    e.getFormattedMessage(), t == null ? null : t.getClassName() + ": " + t.getMessage(),
                    Map.copyOf(e.getMDCPropertyMap()));
            synchronized (this) {
                events.add(event);
                notifyAll();
            }
        }

        synchronized List<Event> snapshot() {
            return List.copyOf(events);
        }

        /** The events {@code match} accepts, waiting up to {@code timeout} for the first. */
        synchronized List<Event> await(Predicate<Event> match, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Event> found = events.stream().filter(match).toList();
                long left = deadline - System.nanoTime();
                if (!found.isEmpty() || left <= 0) {
                    return found;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return found;
                }
            }
        }
    }
}
