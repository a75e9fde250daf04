"""Grafana dashboards as code (grafana-foundation-sdk, Grafana 11.6 flavour).

Both dashboards come from here: the SLO dashboard (from the OpenSLO catalog) and the service
overview. Panels query the provisioned Prometheus datasource (uid "prometheus").
"""
