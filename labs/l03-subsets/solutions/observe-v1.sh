#!/usr/bin/env bash
# Step observe-v1: 30 requests for the reviews of product 0; every answer names a reviews-v1 pod.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
for i in $(seq 1 30); do curl -s "http://$GATEWAY_URL/api/v1/products/0/reviews" | jq -r .podname; done
