#!/usr/bin/env bash
# Step observe-unstable: 100 calls to /unstable from the curl pod; about half fail with 500.
set -euo pipefail
kubectl -n intro exec deploy/curl -c curl -- sh -c 'for i in $(seq 1 100); do curl -s -o /dev/null -w "%{http_code}\n" http://httpbin.intro:8000/unstable; done' | sort | uniq -c
