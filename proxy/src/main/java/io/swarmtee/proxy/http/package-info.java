/**
 * HTTP plumbing shared by every route: request-target checks ({@link
 * io.swarmtee.proxy.http.PathGuard}), which URLs may be fetched ({@link
 * io.swarmtee.proxy.http.UpstreamAllowList}), the single error mapping ({@link
 * io.swarmtee.proxy.http.ErrorResponses}), CORS, Range parsing and the admin token guard.
 */
package io.swarmtee.proxy.http;
