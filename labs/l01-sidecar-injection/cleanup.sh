#!/usr/bin/env bash
# Remove everything L01 created; Bookinfo and istio-system are untouched.
set -euo pipefail
kubectl delete namespace intro manual --ignore-not-found --wait=false
