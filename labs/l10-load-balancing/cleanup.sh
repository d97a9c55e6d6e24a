#!/usr/bin/env bash
# Remove the routing and load-balancing policies of L03/L10; bookinfo-gateway and its VS stay.
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
