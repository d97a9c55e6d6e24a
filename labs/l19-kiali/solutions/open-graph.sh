#!/usr/bin/env bash
# Step open-graph: forty page loads, then the versioned-app graph of default over the last two minutes.
set -euo pipefail
GATEWAY_URL="${GATEWAY_URL:-istio-ingressgateway.istio-system}"
for i in $(seq 1 40); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done
sleep 20
kubectl get --raw '/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp&duration=120s&injectServiceNodes=true'
