package io.swarmtee.proxy.config;

/**
 * A configuration that cannot be used: unknown flag, unparsable value, unusable data directory. The
 * message is one line meant for the operator; {@code Main} prints it and exits with code 2.
 */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
