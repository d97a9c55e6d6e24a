#!/usr/bin/env bash
# Remove the egress Gateway, DestinationRule and VirtualService, and everything L11 set up (Sidecar, CoreDNS entry).
set -euo pipefail
kubectl -n default delete gateway istio-egressgateway --ignore-not-found
kubectl -n default delete destinationrule egressgateway-for-api --ignore-not-found
kubectl -n default delete sidecar default --ignore-not-found
kubectl -n default delete serviceentry api-example --ignore-not-found
kubectl -n default delete virtualservice api-example --ignore-not-found
kubectl -n default delete deployment curl --ignore-not-found
kubectl -n default delete serviceaccount curl --ignore-not-found
kubectl delete namespace external --ignore-not-found --wait=false
# Take the api.example.com hosts block out of CoreDNS again.
kubectl -n kube-system get configmap coredns -o json | jq '.data.Corefile |= sub("    hosts \\{\n       10.96.200.200 api.example.com\n       fallthrough\n    \\}\n"; "")' | kubectl replace -f -
kubectl -n kube-system rollout restart deploy/coredns
