package io.ergon.node.internal;

import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The logger an actor gets from {@code log()}: its behaviour's logger, with the process's node and pid put in the
 * MDC (keys {@value #NODE} and {@value #PID}) for each message that is actually logged. Setting the MDC only then,
 * and not on every activation, keeps logging off the message-passing hot path.
 */
public final class ProcessLogger extends AbstractLogger {
    /** The MDC key of the node's name. */
    public static final String NODE = "node";
    /** The MDC key of the process's pid. */
    public static final String PID = "pid";

    private final Logger delegate;
    private final String node;
    private final String pid;

    public ProcessLogger(Logger delegate, String node, String pid) {
        this.delegate = delegate;
        this.node = node;
        this.pid = pid;
        this.name = delegate.getName();
    }

    /** Runs {@code action} with this process's node and pid in the MDC, restoring what was there. */
    public static void withMdc(String node, String pid, Runnable action) {
        String oldNode = MDC.get(NODE);
        String oldPid = MDC.get(PID);
        MDC.put(NODE, node);
        MDC.put(PID, pid);
        try {
            action.run();
        } finally {
            restore(NODE, oldNode);
            restore(PID, oldPid);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return ProcessLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        withMdc(node, pid, () -> {
            LoggingEventBuilder event = delegate.makeLoggingEventBuilder(level).setMessage(messagePattern);
            if (marker != null) {
                event = event.addMarker(marker);
            }
            if (arguments != null) {
                for (Object a : arguments) {
                    event = event.addArgument(a);
                }
            }
            if (throwable != null) {
                event = event.setCause(throwable);
            }
            event.log();
        });
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return delegate.isTraceEnabled(marker);
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return delegate.isDebugEnabled(marker);
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return delegate.isInfoEnabled(marker);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return delegate.isWarnEnabled(marker);
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return delegate.isErrorEnabled(marker);
    }
}
