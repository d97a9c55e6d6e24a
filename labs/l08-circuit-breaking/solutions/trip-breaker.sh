#!/usr/bin/env bash
# Step trip-breaker: 30 calls over 3 concurrent connections; the sidecar rejects the overflow with 503 (UO).
set -euo pipefail
kubectl -n intro exec deploy/fortio-deploy -c fortio -- fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get
kubectl -n intro exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats | grep 'httpbin.intro.svc.cluster.local.upstream_rq_pending_overflow' || true
