#!/usr/bin/env bash
# Remove the routing and faults of L03/L04/L06; bookinfo-gateway and its VS stay.
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
