#!/usr/bin/env bash
# Step outlier-ejection: one 500 from the only httpbin pod ejects it for the curl pod's sidecar.
set -euo pipefail
kubectl -n intro exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://httpbin:8000/status/500
sleep 2
kubectl -n intro exec deploy/curl -c curl -- curl -s -w '\n%{http_code}\n' http://httpbin:8000/get
