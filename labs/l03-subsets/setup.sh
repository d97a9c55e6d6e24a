#!/usr/bin/env bash
# L03 starts from the baseline: Bookinfo without routing rules of its own (bookinfo-gateway stays).
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
