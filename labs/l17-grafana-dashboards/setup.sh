#!/usr/bin/env bash
# Bookinfo without routing rules of other labs, so every page load reaches reviews and the Istio
# dashboards show the plain mesh. A "My Bookinfo" saved in an earlier attempt is left alone: it is the
# learner's own work (cleanup.sh removes it).
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
