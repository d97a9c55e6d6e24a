#!/usr/bin/env bash
# Bookinfo without routing rules (reviews spreads over v1, v2 and v3), and no Telemetry from an
# earlier attempt at this lab.
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
kubectl -n default delete telemetry namespace-metrics --ignore-not-found
