package io.catwrangler.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Log lines as a function writes them on Lambda: formatted by the layout of the appender its {@code log4j2.xml}
 * names, captured for the duration of one action.
 */
public final class LambdaLogs {
  /** The appender every function's {@code log4j2.xml} writes with (Powertools' JSON layout). */
  public static final String JSON_APPENDER = "JsonAppender";

  private LambdaLogs() {}

  /**
   * Logs {@code message} at WARNING through {@link System.Logger}, as core's use cases do, and returns the one line
   * it became, parsed; fails if it did not become exactly one JSON line.
   */
  public static JsonNode systemLoggerLine(String loggerName, String message) {
    List<String> lines = capture(() -> System.getLogger(loggerName).log(System.Logger.Level.WARNING, message));
    if (lines.size() != 1) {
      throw new AssertionError("expected one log line from System.Logger '" + loggerName + "', got " + lines);
    }
    try {
      return new ObjectMapper().readTree(lines.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON line: " + lines.get(0), e);
    }
  }

  /** The lines {@link #JSON_APPENDER}'s layout made of what was logged while {@code action} ran. */
  public static List<String> capture(Runnable action) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Appender json = config.getAppender(JSON_APPENDER);
    if (json == null) {
      throw new IllegalStateException("no appender " + JSON_APPENDER + " in " + config.getName());
    }
    Layout<?> layout = json.getLayout();
    List<String> lines = new CopyOnWriteArrayList<>();
    Appender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(new String(layout.toByteArray(event), StandardCharsets.UTF_8).strip());
      }
    };
    capture.start();
    Set<LoggerConfig> loggers = new LinkedHashSet<>(config.getLoggers().values());
    loggers.add(config.getRootLogger());
    loggers.forEach(l -> l.addAppender(capture, null, null));
    context.updateLoggers();
    try {
      action.run();
    } finally {
      loggers.forEach(l -> l.removeAppender(capture.getName()));
      context.updateLoggers();
      capture.stop();
    }
    return lines;
  }
}
