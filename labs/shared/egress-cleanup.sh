#!/usr/bin/env bash
# Undoes labs 11 and 12: their egress objects, the curl client of namespace default, namespace
# external, and the api.example.com hosts block in CoreDNS.
set -euo pipefail
bash "$(dirname "$0")/egress-reset.sh"
kubectl -n default delete deployment curl --ignore-not-found
kubectl -n default delete serviceaccount curl --ignore-not-found
kubectl delete namespace external --ignore-not-found --wait=false
kubectl -n kube-system get configmap coredns -o json | jq '.data.Corefile |= sub("    hosts \\{\n       10.96.200.200 api.example.com\n       fallthrough\n    \\}\n"; "")' | kubectl replace -f -
kubectl -n kube-system rollout restart deploy/coredns
