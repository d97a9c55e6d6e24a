#!/usr/bin/env bash
# Removes the routing, fault and timeout of L07 and namespace intro; bookinfo-gateway stays.
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
kubectl delete namespace intro --ignore-not-found --wait=false
