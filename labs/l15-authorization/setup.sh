#!/usr/bin/env bash
# Bookinfo without routing rules and without this lab's policies (bookinfo-reset.sh removes them, and
# a mesh-wide allow-nothing a mistaken attempt may have left in istio-system).
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
