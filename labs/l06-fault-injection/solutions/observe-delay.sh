#!/usr/bin/env bash
# Step observe-delay: three page loads as jason (each about 6 s), one anonymous for comparison.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
JAR="$(mktemp)"
curl -s -o /dev/null -c "$JAR" -H 'Referer: /productpage' --data 'username=jason&passwd=x' "http://$GATEWAY_URL/login"
for i in 1 2 3; do curl -s -o /dev/null -b "$JAR" -w 'jason: %{http_code} in %{time_total}s\n' "http://$GATEWAY_URL/productpage"; done
curl -s -o /dev/null -w 'anonymous: %{http_code} in %{time_total}s\n' "http://$GATEWAY_URL/productpage"
