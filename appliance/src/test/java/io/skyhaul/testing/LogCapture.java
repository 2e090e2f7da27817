package io.skyhaul.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records the log events at WARN (or a given level) and above while open, so a test can assert
 * that nothing went wrong quietly (an exception that reached the end of a Netty pipeline, a leak
 * report) or that nothing secret was logged.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private final Level threshold;

    public LogCapture() {
        this(Level.WARN);
    }

    /** Records the events at {@code threshold} and above (INFO: to check what operators' logs say, e.g. that no secret is in them). */
    public LogCapture(Level threshold) {
        this.threshold = threshold;
        setName("test-capture");
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(threshold)) {
            events.add(event);
        }
    }

    /** Formatted WARN and ERROR lines matching {@code filter}. */
    public List<String> lines(Predicate<ILoggingEvent> filter) {
        return events.stream().filter(filter)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                        + (e.getThrowableProxy() != null ? " (" + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() + ")" : ""))
                .toList();
    }

    /** ERROR events from anywhere, and WARN events from Netty (exceptions reaching the pipeline's tail). */
    public List<String> problems() {
        return lines(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getLoggerName().startsWith("io.netty"));
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
