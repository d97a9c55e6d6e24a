#!/usr/bin/env bash
# Remove the routing of L03/L05; bookinfo-gateway and its VS stay.
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
