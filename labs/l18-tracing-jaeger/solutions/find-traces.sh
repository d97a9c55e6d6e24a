#!/usr/bin/env bash
# Step find-traces: twenty page loads, then the services Jaeger knows.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
sleep 5
for i in $(seq 1 20); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done
kubectl get --raw '/api/v1/namespaces/istio-system/services/tracing:80/proxy/jaeger/api/services'
