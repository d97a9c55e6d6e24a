#!/usr/bin/env bash
# Step generate-traffic: 50 page loads through the ingress gateway, then the count in Prometheus.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
for i in $(seq 1 50); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done
sleep 20
kubectl get --raw '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=sum(istio_requests_total%7Breporter%3D%22destination%22%2Cdestination_service_name%3D%22productpage%22%7D)'
