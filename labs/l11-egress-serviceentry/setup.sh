#!/usr/bin/env bash
# L11: an offline-safe stand-in for an external API at http://api.example.com and a curl client with a
# sidecar in namespace default; egress objects of an earlier attempt (or of L12) are removed first.
set -euo pipefail
bash "$(dirname "$0")/../shared/egress-reset.sh"
bash "$(dirname "$0")/../shared/external-api.sh"
