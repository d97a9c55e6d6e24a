#!/usr/bin/env bash
# Bookinfo without routing rules of its own: the VirtualServices and DestinationRules earlier labs
# put on the four services are removed (bookinfo-gateway and its VirtualService stay), and so are the
# authorization lab's policies, which would deny Bookinfo's calls in any other lab.
set -euo pipefail
kubectl -n default delete virtualservice productpage reviews ratings details --ignore-not-found
kubectl -n default delete destinationrule productpage reviews ratings details --ignore-not-found
bash "$(dirname "$0")/authz-reset.sh"
