#!/usr/bin/env bash
# Remove the DestinationRules and VirtualServices of L03; bookinfo-gateway and its VS stay.
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
