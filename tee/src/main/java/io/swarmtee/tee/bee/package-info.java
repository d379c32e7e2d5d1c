/**
 * A small, typed client for a Bee node's HTTP API (v2.8.x): uploads ({@code /bytes}, {@code
 * /chunks}, {@code /bzz}, {@code /soc}, {@code /feeds}), streamed downloads with Range, and the
 * info endpoints ({@code /health}, {@code /readiness}, {@code /stamps}, {@code /chainstate}, {@code
 * /tags}).
 *
 * <p>Entry point: {@link io.swarmtee.tee.bee.BeeClient#create(io.vertx.core.Vertx,
 * BeeClientOptions)}. Every call returns a Vert.x {@link io.vertx.core.Future}, has a timeout, and
 * fails only with a {@link io.swarmtee.tee.bee.BeeException} whose {@link
 * io.swarmtee.tee.bee.BeeException#kind() kind} tells the caller whether to retry. The client never
 * retries on its own.
 */
package io.swarmtee.tee.bee;
