#!/usr/bin/env bash
# Step read-access-log: where the mesh-wide setting lives, one request, and httpbin's sidecar's line for it.
set -euo pipefail
kubectl -n istio-system get configmap istio -o jsonpath='{.data.mesh}' | grep -i accesslog
kubectl -n intro exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://httpbin:8000/status/200
sleep 2  # Envoy writes its access log about once a second
kubectl -n intro logs deploy/httpbin -c istio-proxy --tail 3
