#!/usr/bin/env bash
# Step verify-mesh: proxies synced with istiod, and a sidecar-to-sidecar call over mutual TLS.
set -euo pipefail
istioctl proxy-status --verbosity 1
kubectl -n intro exec deploy/curl -c curl -- curl -sS http://httpbin.intro:8000/headers
