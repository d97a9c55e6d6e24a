#!/usr/bin/env bash
# Step call-external: with the default ALLOW_ANY policy the unknown host is reachable (PassthroughCluster).
set -euo pipefail
kubectl -n default exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://api.example.com/get
sleep 2 # the access log is flushed about once a second
kubectl -n default logs deploy/curl -c istio-proxy --tail=3
