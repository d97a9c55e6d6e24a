#!/usr/bin/env bash
# Step trace-headers: httpbin echoes the headers it received; the sidecars added the request id and the
# W3C trace context on the way.
set -euo pipefail
kubectl -n intro exec deploy/curl -c curl -- curl -s http://httpbin:8000/headers
