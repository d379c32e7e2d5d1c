#!/usr/bin/env python3
"""Writes grafana/swarmtee.json, the canonical swarmtee dashboard.

Regenerate after editing: python3 grafana/dashboard.py && cp grafana/swarmtee.json helm/swarmtee/files/
(the ops tests fail when the chart's copy differs, or when a query names a metric swarmtee does not export).
"""
import json
import pathlib

SEL = 'job=~"$job", instance=~"$instance"'
RATE = "$__rate_interval"


def sel(extra=""):
    return "{" + SEL + (", " + extra if extra else "") + "}"


def quantiles(metric, by=""):
    grp = f"le{', ' + by if by else ''}"
    return [
        (f'histogram_quantile(0.5, sum by ({grp}) (rate({metric}_bucket{sel()}[{RATE}])))', f"p50{' {{' + by + '}}' if by else ''}"),
        (f'histogram_quantile(0.99, sum by ({grp}) (rate({metric}_bucket{sel()}[{RATE}])))', f"p99{' {{' + by + '}}' if by else ''}"),
    ]


def by(label, metric, fn=None, window=RATE, agg="sum", legend=None):
    """One series per value of label: agg by (label) (fn(metric[window])), or of the gauge itself without fn."""
    inner = f"{fn}({metric}{sel()}[{window}])" if fn else f"{metric}{sel()}"
    return (f"{agg} by ({label}) ({inner})", legend or "{{" + label + "}}")


SEL_0 = sel('area="heap"')
SEL_1 = sel('result=~"hit|coalesced"')
SEL_2 = sel('result=~"lost|dropped|failed"')
SEL_3 = sel('status=~"5.."')

panels = []
y = 0


def row(title):
    global y
    panels.append({"type": "row", "title": title, "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "id": len(panels) + 1, "panels": []})
    y += 1


def panel(title, unit, targets, kind="timeseries", w=8, h=8, desc="", x=None):
    global y
    used = sum(p["gridPos"]["w"] for p in panels if p["gridPos"]["y"] == y and p["type"] != "row")
    if used + w > 24:
        y += h
        used = 0
    p = {
        "type": kind, "title": title, "description": desc, "id": len(panels) + 1,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": h, "w": w, "x": used, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}} if kind == "timeseries" else
                   {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
        "targets": [{"refId": chr(65 + i), "expr": e, "legendFormat": l,
                     "datasource": {"type": "prometheus", "uid": "${datasource}"}} for i, (e, l) in enumerate(targets)],
    }
    panels.append(p)


def finish_row():
    global y
    y = max([p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels], default=0)


row("Viewers (origin shield)")
panel("Request rate by kind", "reqps",
      [by("kind", "swarmtee_http_requests_total", "rate")],
      desc="Requests viewers and CDNs make to swarmtee, by object kind.")
panel("Error ratio (5xx)", "percentunit",
      [(f'sum(rate(swarmtee_http_requests_total{SEL_3}[{RATE}])) / sum(rate(swarmtee_http_requests_total{sel()}[{RATE}]))', "5xx")],
      desc="Share of viewer requests answered with a server error (502/504 mean the upstream failed).")
panel("Bytes served", "Bps",
      [(f"sum(rate(swarmtee_http_bytes_sent_total{sel()}[{RATE}]))", "sent")])
panel("Cache hit ratio", "percentunit",
      [(f'sum(rate(swarmtee_cache_requests_total{SEL_1}[{RATE}])) / sum(rate(swarmtee_cache_requests_total{sel()}[{RATE}]))', "hit + coalesced")],
      desc="Requests served without a new upstream fetch: cached, or joined an in-flight fetch.")
panel("Cache requests by result", "reqps",
      [by("result", "swarmtee_cache_requests_total", "rate")],
      desc="coalesced = waited on another viewer's in-flight upstream fetch.")
panel("Upstream latency", "s", quantiles("swarmtee_upstream_duration_seconds"),
      desc="Time of upstream fetches (go-livepeer).")
panel("Viewer request latency", "s", quantiles("swarmtee_http_request_duration_seconds"))
panel("Upstream requests by status", "reqps",
      [(f"sum by (kind, status) (rate(swarmtee_upstream_requests_total{sel()}[{RATE}]))", "{{kind}} {{status}}")])
panel("Segment cache size", "bytes",
      [(f"sum(swarmtee_cache_bytes{sel()})", "bytes")])
finish_row()

row("Archive")
panel("Archive lag", "s", quantiles("swarmtee_archive_lag_seconds"),
      desc="From a segment first seen upstream to its Swarm reference stored.")
panel("Segments by result", "short",
      [by("result", "swarmtee_archive_segments_total", "increase")], w=16,
      desc="All streams together: swarmtee exports no series per stream. Which stream lost what: its log lines and GET /api/archives/{id}.")
panel("Segments lost / dropped / failed (1h)", "short",
      [(f'sum by (result) (increase(swarmtee_archive_segments_total{SEL_2}[1h]))', "{{result}}")], kind="stat")
panel("Active archived streams", "short",
      [(f"sum(swarmtee_archive_active_streams{sel()})", "streams")], kind="stat")
panel("Bee up", "bool",
      [(f"min(swarmtee_bee_up{sel()})", "bee")], kind="stat")
panel("Upload latency", "s", quantiles("swarmtee_upload_duration_seconds"))
panel("Uploads by outcome", "ops",
      [by("outcome", "swarmtee_uploads_total", "rate")])
panel("Bytes uploaded to Swarm", "Bps",
      [(f"sum(rate(swarmtee_uploaded_bytes_total{sel()}[{RATE}]))", "uploaded")])
panel("Upload queue and spool depth", "short",
      [(f"sum(swarmtee_upload_queue_segments{sel()})", "queued"),
       (f"sum(swarmtee_spool_segments{sel()})", "spooled")])
panel("Spool fill", "percentunit",
      [(f"sum(swarmtee_spool_bytes{sel()}) / sum(swarmtee_spool_capacity_bytes{sel()})", "spool")],
      desc="When the spool is full new segments are dropped (gaps in the archive).")
panel("Retries and reference mismatches", "short",
      [(f"sum(increase(swarmtee_upload_retries_total{sel()}[{RATE}]))", "retries"),
       (f"sum(increase(swarmtee_reference_mismatches_total{sel()}[{RATE}]))", "reference mismatches")])
finish_row()

row("Cluster")
panel("Members seen by each instance", "short",
      [by("instance", "swarmtee_cluster_members", agg="max")],
      desc="Cluster members as each swarmtee sees them (1 without cluster mode). Instances that disagree: a member died or the cluster split.")
panel("Streams owned per instance", "short",
      [by("instance", "swarmtee_archive_owned_streams")],
      desc="Stream leases each member holds: the archive work is spread by rendezvous hashing over the members.")
panel("Failovers", "short",
      [by("instance", "swarmtee_archive_failovers_total", "increase")],
      desc="Streams an instance took over because their holder's lease expired (it died, paused or was cut off).")
finish_row()

row("Postage")
panel("Batch TTL", "s",
      [by("batch", "swarmtee_postage_batch_ttl_seconds", agg="min")])
panel("Batch utilization", "percentunit",
      [by("batch", "swarmtee_postage_batch_utilization_ratio", agg="max")])
panel("Remaining video", "s",
      [by("batch", "swarmtee_postage_capacity_remaining_video_seconds", agg="min")],
      desc="Capacity left in each usable batch at the current archive bitrate (all renditions).")
panel("Capacity remaining", "bytes",
      [by("batch", "swarmtee_postage_capacity_remaining_bytes")])
finish_row()

row("Webhooks and retrievability")
panel("Webhook deliveries by outcome", "ops",
      [by("outcome", "swarmtee_webhook_deliveries_total", "rate")],
      desc="Delivery attempts: delivered (2xx), retry (error, timeout, 5xx, 408, 429), rejected (other 4xx, given up), expired (24 h of retries).")
panel("Webhook queue depth", "short",
      [by("instance", "swarmtee_webhook_queue_depth")],
      desc="Deliveries in the durable outbox, not done yet; grows while a receiver is down.")
panel("Unretrievable archive references", "short",
      [by("instance", "swarmtee_archive_unretrievable_references"),
       by("result", "swarmtee_steward_checks_total", "increase", "1h", legend="checks {{result}} (1h)")],
      desc="References of finalised archives the steward found not retrievable from Swarm and could not repair; and its checks.")
finish_row()

row("JVM and event loop")
panel("Heap used", "bytes",
      [(f'sum by (id) (jvm_memory_used_bytes{SEL_0})', "{{id}}"),
       (f'sum(jvm_memory_max_bytes{SEL_0})', "max")])
panel("GC pause time", "s",
      [(f"sum by (action, cause) (rate(jvm_gc_pause_seconds_sum{sel()}[{RATE}]))", "{{action}} {{cause}}")],
      desc="Seconds per second spent in GC pauses.")
panel("Event-loop lag", "s",
      [by("loop", "swarmtee_event_loop_lag_seconds", agg="max")],
      desc="How late a timer fires on each Vert.x event loop; high values mean blocked loops.")
finish_row()


def variable(name, query, label):
    return {"name": name, "label": label, "type": "query",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "query": {"query": query, "refId": name}, "definition": query,
            "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "sort": 1}


dashboard = {
    "uid": "swarmtee-overview",
    "title": "swarmtee",
    "description": "swarmtee: HLS origin shield and Swarm archiver",
    "tags": ["swarmtee", "hls", "swarm"],
    "timezone": "utc",
    "editable": True,
    "schemaVersion": 39,
    "version": 1,
    "refresh": "30s",
    "time": {"from": "now-3h", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0, "refresh": 1},
        variable("job", "label_values(swarmtee_http_requests_total, job)", "Job"),
        variable("instance", 'label_values(swarmtee_http_requests_total{job=~"$job"}, instance)', "Instance"),
    ]},
    "annotations": {"list": []},
    "panels": panels,
}

out = pathlib.Path(__file__).with_name("swarmtee.json")
out.write_text(json.dumps(dashboard, indent=2) + "\n")
