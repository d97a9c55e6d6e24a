#!/usr/bin/env bash
# Step reviews-share: more traffic, then reviews requests per destination_version.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
for i in $(seq 1 60); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done
sleep 20
kubectl get --raw '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=sum%20by%20(destination_version)%20(istio_requests_total%7Breporter%3D%22destination%22%2Cdestination_service_name%3D%22reviews%22%7D)'
