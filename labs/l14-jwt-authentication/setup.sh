#!/usr/bin/env bash
# Namespace foo with sidecars, httpbin and curl, and nothing else: the mutual TLS lab's namespaces and
# mesh-wide policy are removed first (mtls-reset.sh), which also takes away this lab's earlier attempts.
set -euo pipefail
bash "$(dirname "$0")/../shared/mtls-reset.sh"
kubectl create namespace foo --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace foo istio-injection=enabled --overwrite
bash "$(dirname "$0")/../shared/httpbin.sh" foo
bash "$(dirname "$0")/../shared/curl.sh" foo
kubectl -n foo rollout status deploy/httpbin deploy/curl --timeout=180s
