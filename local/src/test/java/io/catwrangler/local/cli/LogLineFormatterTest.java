package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class LogLineFormatterTest {
  private static final String PROPERTY = "java.util.logging.SimpleFormatter.format";

  private static LogRecord record(Level level, String message, Object[] parameters, Throwable thrown) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("io.catwrangler.access");
    record.setInstant(Instant.parse("2026-12-02T15:21:31.721Z"));
    record.setParameters(parameters);
    record.setThrown(thrown);
    record.setSourceClassName("io.catwrangler.local.http.ApiHandler");
    return record;
  }

  @Test
  void printsTheSameLineAsSimpleFormatterWithTheServersFormat() {
    String before = System.getProperty(PROPERTY);
    System.setProperty(PROPERTY, LogLineFormatter.FORMAT);
    try {
      SimpleFormatter simple = new SimpleFormatter();
      LogLineFormatter ours = new LogLineFormatter();
      for (LogRecord record : new LogRecord[] {
          record(Level.INFO, "127.0.0.1 \"POST /images\" 202 392 4.8ms id=1d89", null, null),
          record(Level.WARNING, "request {0}: body unreadable: {1}", new Object[] {"r-1", "EOF"}, null),
          record(Level.SEVERE, "request r-2 failed", null, new IOException("disk gone"))}) {
        assertThat(ours.format(record)).isEqualTo(simple.format(record));
      }
      assertThat(ours.format(record(Level.INFO, "up", null, null)))
          .matches("2026-12-02T\\d\\d:\\d\\d:31\\.721[+-]\\d{4} INFO io\\.catwrangler\\.access: up\\R");
    } finally {
      if (before == null) {
        System.clearProperty(PROPERTY);
      } else {
        System.setProperty(PROPERTY, before);
      }
    }
  }
}
