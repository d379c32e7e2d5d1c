package io.swarmtee.proxy.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback, the server's SLF4J backend, from {@link LogSettings}: one console appender on
 * stderr with a text pattern or Logback's {@link JsonEncoder} (one JSON object per line). Call once
 * at start-up, before the server logs; {@code logback.xml} on the class path is what applies before
 * (and in tests): text at INFO.
 */
public final class Logging {

  /** The text layout: time, level, thread, logger, message. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger - %msg%n";

  private Logging() {}

  /**
   * Replaces the logging configuration.
   *
   * @throws IllegalStateException if SLF4J is not bound to Logback
   */
  public static void configure(LogSettings settings) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException(
          "SLF4J is bound to " + LoggerFactory.getILoggerFactory().getClass() + ", not Logback");
    }
    context.reset();
    Encoder<ILoggingEvent> encoder =
        switch (settings.format()) {
          case JSON -> {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            // The message as read, arguments filled in ("formattedMessage"): a pipeline indexes
            // that, not the "{}" template and its arguments apart.
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            yield json;
          }
          case TEXT -> {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            yield text;
          }
        };
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.toLevel(settings.level().name()));
    root.addAppender(console);
  }
}
