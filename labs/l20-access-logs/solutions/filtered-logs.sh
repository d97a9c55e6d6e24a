#!/usr/bin/env bash
# Step filtered-logs: one request that succeeds and one that fails; only the failed one is logged.
set -euo pipefail
sleep 5
kubectl -n intro exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://httpbin:8000/status/200
kubectl -n intro exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://httpbin:8000/status/418
sleep 2  # Envoy writes its access log about once a second
kubectl -n intro logs deploy/httpbin -c istio-proxy --since 1m
