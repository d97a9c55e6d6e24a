#!/usr/bin/env bash
# Removes everything L11 created, including the cluster-wide changes: the REGISTRY_ONLY Sidecar and the CoreDNS entry.
set -euo pipefail
bash "$(dirname "$0")/../shared/egress-cleanup.sh"
