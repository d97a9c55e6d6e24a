#!/usr/bin/env bash
# Step observe-abort: ten page loads as jason, one anonymous; the page says ratings are unavailable for jason.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
JAR="$(mktemp)"
sleep 5
curl -s -o /dev/null -c "$JAR" -H 'Referer: /productpage' --data 'username=jason&passwd=x' "http://$GATEWAY_URL/login"
for i in $(seq 1 10); do curl -s -b "$JAR" "http://$GATEWAY_URL/productpage" | grep -c 'Ratings service is currently unavailable' || true; done
curl -s "http://$GATEWAY_URL/productpage" | grep -c 'Ratings service is currently unavailable' || true
