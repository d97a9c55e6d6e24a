#!/usr/bin/env bash
# Step observe-split: 200 requests, counted per reviews pod.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
for i in $(seq 1 200); do curl -s "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done | sort | uniq -c
