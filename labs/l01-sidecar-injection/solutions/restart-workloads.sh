#!/usr/bin/env bash
# Step restart-workloads: re-create the pods so the webhook can add istio-proxy.
set -euo pipefail
kubectl -n intro rollout restart deploy/httpbin deploy/curl
kubectl -n intro rollout status deploy/httpbin deploy/curl --timeout=180s
