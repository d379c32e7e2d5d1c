/**
 * The server's logging: {@code --log-format text|json} and {@code --log-level} applied to Logback
 * ({@link io.swarmtee.proxy.logging.Logging}).
 */
package io.swarmtee.proxy.logging;
