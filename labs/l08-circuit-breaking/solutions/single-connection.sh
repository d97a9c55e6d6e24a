#!/usr/bin/env bash
# Step single-connection: 20 calls over one connection; the limits are never exceeded.
set -euo pipefail
sleep 5
kubectl -n intro exec deploy/fortio-deploy -c fortio -- fortio load -c 1 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get
