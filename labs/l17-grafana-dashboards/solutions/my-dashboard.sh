#!/usr/bin/env bash
# Step my-dashboard: saves "My Bookinfo" through Grafana's HTTP API, as the Save button would, with one
# panel for the rate of 5xx answers that callers of reviews get. `overwrite` replaces an earlier one.
set -euo pipefail
GRAFANA_URL="${GRAFANA_URL:-http://grafana.istio-system:3000}"
curl -sf -X POST "$GRAFANA_URL/api/dashboards/db" -H 'Content-Type: application/json' --data-binary @- <<'JSON'
{
  "overwrite": true,
  "dashboard": {
    "title": "My Bookinfo",
    "time": { "from": "now-15m", "to": "now" },
    "refresh": "10s",
    "panels": [
      {
        "id": 1,
        "type": "timeseries",
        "title": "reviews: 5xx per second",
        "gridPos": { "x": 0, "y": 0, "w": 12, "h": 8 },
        "targets": [
          {
            "refId": "A",
            "expr": "sum by (response_code) (rate(istio_requests_total{reporter=\"source\", destination_service_name=\"reviews\", response_code=~\"5..\"}[1m]))",
            "legendFormat": "{{response_code}}"
          }
        ]
      }
    ]
  }
}
JSON
