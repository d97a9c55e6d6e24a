#!/usr/bin/env bash
# Step observe-mirror: 10 calls on a recognisable path; v1 answers, v2 logs the copies.
set -euo pipefail
sleep 5
kubectl -n intro exec deploy/curl -c curl -- sh -c 'for i in $(seq 1 10); do curl -s -o /dev/null -w "%{http_code}\n" http://httpbin:8000/anything/mirror-test; done'
kubectl -n intro logs deploy/httpbin-v2 -c httpbin --since=2m
