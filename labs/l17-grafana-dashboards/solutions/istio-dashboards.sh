#!/usr/bin/env bash
# Step istio-dashboards: some traffic for the dashboards to draw, then the Istio dashboards Grafana lists.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
for i in $(seq 1 30); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done
kubectl get --raw '/api/v1/namespaces/istio-system/services/grafana:3000/proxy/api/search?query=Istio&type=dash-db' | jq -r '.[].title'
