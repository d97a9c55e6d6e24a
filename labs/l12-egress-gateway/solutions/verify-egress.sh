#!/usr/bin/env bash
# Step verify-egress: a few calls from default/curl, then the egress gateway's access log shows them.
set -euo pipefail
sleep 5
for i in $(seq 1 5); do kubectl -n default exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://api.example.com/get; done
kubectl -n istio-system logs deploy/istio-egressgateway --since=1m
