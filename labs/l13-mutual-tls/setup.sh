#!/usr/bin/env bash
# Namespaces foo and bar with sidecars (httpbin and curl in each) and legacy without (curl only).
# Earlier attempts and the mesh-wide policy of step 4 are removed first, so the lab starts clean.
set -euo pipefail
bash "$(dirname "$0")/../shared/mtls-reset.sh"
kubectl create namespace foo --dry-run=client -o yaml | kubectl apply -f -
kubectl create namespace bar --dry-run=client -o yaml | kubectl apply -f -
kubectl create namespace legacy --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace foo istio-injection=enabled --overwrite
kubectl label namespace bar istio-injection=enabled --overwrite
bash "$(dirname "$0")/../shared/httpbin.sh" foo
bash "$(dirname "$0")/../shared/curl.sh" foo
bash "$(dirname "$0")/../shared/httpbin.sh" bar
bash "$(dirname "$0")/../shared/curl.sh" bar
bash "$(dirname "$0")/../shared/curl.sh" legacy
kubectl -n foo rollout status deploy/httpbin deploy/curl --timeout=180s
kubectl -n bar rollout status deploy/httpbin deploy/curl --timeout=180s
kubectl -n legacy rollout status deploy/curl --timeout=180s
