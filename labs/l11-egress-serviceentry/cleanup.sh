#!/usr/bin/env bash
# Remove everything L11 created, including the cluster-wide changes: the REGISTRY_ONLY Sidecar and the CoreDNS entry.
set -euo pipefail
kubectl -n default delete sidecar default --ignore-not-found
kubectl -n default delete serviceentry api-example --ignore-not-found
kubectl -n default delete virtualservice api-example --ignore-not-found
kubectl -n default delete deployment curl --ignore-not-found
kubectl -n default delete serviceaccount curl --ignore-not-found
kubectl delete namespace external --ignore-not-found --wait=false
# Take the api.example.com hosts block out of CoreDNS again.
kubectl -n kube-system get configmap coredns -o json | jq '.data.Corefile |= sub("    hosts \\{\n       10.96.200.200 api.example.com\n       fallthrough\n    \\}\n"; "")' | kubectl replace -f -
kubectl -n kube-system rollout restart deploy/coredns
