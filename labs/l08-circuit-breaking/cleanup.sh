#!/usr/bin/env bash
# The outlier-detection DestinationRule would keep ejecting httpbin for minutes: delete it with namespace intro.
set -euo pipefail
kubectl -n intro delete destinationrule httpbin --ignore-not-found
kubectl delete namespace intro --ignore-not-found --wait=false
