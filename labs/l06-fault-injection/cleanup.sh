#!/usr/bin/env bash
# Removes the routing this lab and its setup made on Bookinfo; bookinfo-gateway and its VirtualService stay.
set -euo pipefail
bash "$(dirname "$0")/../shared/bookinfo-reset.sh"
