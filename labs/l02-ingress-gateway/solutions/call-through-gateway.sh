#!/usr/bin/env bash
# Step call-through-gateway: one request with the right Host (200), one with another Host (404).
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
curl -sS -o /dev/null -w '%{http_code}\n' -H 'Host: httpbin.example.com' "http://$GATEWAY_URL/headers"
curl -sS -o /dev/null -w '%{http_code}\n' -H 'Host: nope.example.com' "http://$GATEWAY_URL/headers"
