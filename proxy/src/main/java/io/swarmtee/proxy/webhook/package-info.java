/**
 * Signed webhooks: archive events ({@code archive.started}, {@code archive.ready}, {@code
 * archive.segments_lost}, {@code archive.unretrievable}) POSTed as JSON to every {@code
 * --webhook-url}, at least once. {@link io.swarmtee.proxy.webhook.WebhookEvents} turns archive
 * journal events into webhook events, {@link io.swarmtee.proxy.webhook.Outbox} keeps every delivery
 * on disk until it is done, {@link io.swarmtee.proxy.webhook.Deliveries} sends and retries them,
 * {@link io.swarmtee.proxy.webhook.Signature} signs bodies.
 */
package io.swarmtee.proxy.webhook;
