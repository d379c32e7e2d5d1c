/** swarmtee's Micrometer meters; names are a contract with dashboards (see README, Metrics). */
package io.swarmtee.proxy.metrics;
