#!/usr/bin/env bash
# Removes the egress Gateway, DestinationRule and VirtualService, and everything L11 set up (Sidecar, CoreDNS entry).
set -euo pipefail
bash "$(dirname "$0")/../shared/egress-cleanup.sh"
