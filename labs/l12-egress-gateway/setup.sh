#!/usr/bin/env bash
# L12 starts where L11 step 3 ends, replayed from L11's solutions: the api.example.com stand-in,
# default/curl, REGISTRY_ONLY in namespace default and the ServiceEntry (no timeout VirtualService).
set -euo pipefail
bash "$(dirname "$0")/../shared/egress-reset.sh"
bash "$(dirname "$0")/../shared/external-api.sh"
bash "$(dirname "$0")/../l11-egress-serviceentry/solutions/registry-only.sh"
bash "$(dirname "$0")/../l11-egress-serviceentry/solutions/service-entry.sh"
