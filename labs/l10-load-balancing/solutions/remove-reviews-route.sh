#!/usr/bin/env bash
# Step remove-reviews-route: without a VirtualService, reviews traffic spreads over all its pods.
set -euo pipefail
kubectl -n default delete virtualservice reviews --ignore-not-found
