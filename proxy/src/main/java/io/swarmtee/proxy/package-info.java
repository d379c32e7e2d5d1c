/**
 * The swarmtee server: {@link io.swarmtee.proxy.Main} (command line), {@link
 * io.swarmtee.proxy.SwarmteeServer} (router and lifecycle), and the seams other packages plug into:
 * {@link io.swarmtee.proxy.ProxyModule} built from a {@link io.swarmtee.proxy.ModuleContext}, and
 * {@link io.swarmtee.proxy.ProxyFailure}, the one failure type that carries an HTTP status.
 */
package io.swarmtee.proxy;
