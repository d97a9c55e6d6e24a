#!/usr/bin/env bash
# Step observe-permissive: a plaintext call from legacy and an mTLS call inside foo both succeed.
set -euo pipefail
kubectl -n legacy exec deploy/curl -- curl -s -o /dev/null -w '%{http_code}\n' http://httpbin.foo:8000/ip
kubectl -n foo exec deploy/curl -c curl -- curl -s http://httpbin.foo:8000/headers
