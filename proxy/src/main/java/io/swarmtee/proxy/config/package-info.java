/**
 * Configuration: every {@link io.swarmtee.proxy.config.Option} is a flag, a {@code SWARMTEE_*}
 * environment variable and a YAML key; {@link io.swarmtee.proxy.config.Config} is the typed,
 * validated result. Errors are {@link io.swarmtee.proxy.config.ConfigException}s with a one-line
 * message.
 */
package io.swarmtee.proxy.config;
