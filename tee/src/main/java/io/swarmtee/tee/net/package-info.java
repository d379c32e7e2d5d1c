/**
 * Small URL facts every module needs the same way: {@link io.swarmtee.tee.net.HttpPorts} gives the
 * port an http(s) URL connects to.
 */
package io.swarmtee.tee.net;
