#!/usr/bin/env bash
# Step observe-timeout: a few page loads; each returns in about 1 s without reviews.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
sleep 5
for i in $(seq 1 5); do curl -s -o /dev/null -w '%{http_code} in %{time_total}s\n' "http://$GATEWAY_URL/productpage"; done
