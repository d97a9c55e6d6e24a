#!/usr/bin/env bash
# Remove namespace intro (httpbin, curl, the Gateway and VirtualService of this lab). bookinfo-gateway stays.
set -euo pipefail
kubectl delete namespace intro manual --ignore-not-found --wait=false
