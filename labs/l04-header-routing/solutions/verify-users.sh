#!/usr/bin/env bash
# Step verify-users: log in as jason (session cookie) and fetch reviews; then anonymously.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
JAR="$(mktemp)"
curl -s -o /dev/null -c "$JAR" -H 'Referer: /productpage' --data 'username=jason&passwd=x' "http://$GATEWAY_URL/login"
for i in $(seq 1 10); do curl -s -b "$JAR" "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done
for i in $(seq 1 10); do curl -s "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done
