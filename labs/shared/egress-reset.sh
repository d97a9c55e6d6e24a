#!/usr/bin/env bash
# Removes the egress objects of labs 11 and 12 from namespace default (the REGISTRY_ONLY Sidecar, the
# ServiceEntry, the VirtualServices and the egress Gateway with its DestinationRule).
set -euo pipefail
kubectl -n default delete sidecar default --ignore-not-found
kubectl -n default delete serviceentry api-example --ignore-not-found
kubectl -n default delete virtualservice api-example direct-api-through-egress-gateway --ignore-not-found
kubectl -n default delete gateway api-egress-gateway istio-egressgateway --ignore-not-found
kubectl -n default delete destinationrule egressgateway-for-api --ignore-not-found
bash "$(dirname "$0")/authz-reset.sh"
