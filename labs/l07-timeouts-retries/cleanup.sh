#!/usr/bin/env bash
# Remove the routing, fault and timeout of L07 and namespace intro; bookinfo-gateway stays.
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
kubectl delete namespace intro --ignore-not-found --wait=false
