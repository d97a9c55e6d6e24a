#!/usr/bin/env bash
# L03 starts from the baseline: Bookinfo without routing rules of its own (bookinfo-gateway stays).
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
