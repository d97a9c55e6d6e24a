#!/usr/bin/env bash
# Remove namespace intro with both httpbin versions, the DestinationRule and the mirroring VirtualService.
set -euo pipefail
kubectl delete namespace intro --ignore-not-found --wait=false
