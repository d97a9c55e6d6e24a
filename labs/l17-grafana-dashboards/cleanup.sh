#!/usr/bin/env bash
# Deletes every dashboard titled "My Bookinfo" through Grafana's HTTP API (run from the toolbox, where
# grafana.istio-system resolves). The Istio dashboards are provisioned from ConfigMaps and stay.
set -euo pipefail
GRAFANA_URL="${GRAFANA_URL:-http://grafana.istio-system:3000}"
curl -sf "$GRAFANA_URL/api/search?type=dash-db&query=My%20Bookinfo" | jq -r '.[] | select(.title == "My Bookinfo") | .uid' | while read -r uid; do curl -sf -o /dev/null -X DELETE "$GRAFANA_URL/api/dashboards/uid/$uid"; done
