package io.swarmtee.proxy.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

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
    context.addTurboFilter(new VertxGaugeReRegistration());
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

  /**
   * Drops Micrometer's "This Gauge has been already registered" warning for Vert.x's own meters.
   * vertx-micrometer-metrics 5 registers the connection gauges of a server or client again for
   * every connection (vert-x3/vertx-micrometer-metrics#259) and keys its counter by the meter id,
   * so the repeat is harmless; Micrometer warns about the first repeat it sees in the process, i.e.
   * on every start. Repeats of swarmtee's own meters still warn.
   */
  public static final class VertxGaugeReRegistration extends TurboFilter {

    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public FilterReply decide(
        Marker marker,
        Logger logger,
        ch.qos.logback.classic.Level level,
        String format,
        Object[] params,
        Throwable t) {
      return format != null
              && logger.getName().equals(LOGGER)
              && format.contains("has been already registered (MeterId{name='vertx.")
          ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
  }
}
