"""SLOs as code: OpenSLO v1 documents in slo/openslo/ -> Prometheus, promtool, Grafana, GCP.

One package so that every backend reads the same validated model (slokit.model).
"""
