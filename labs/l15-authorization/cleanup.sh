#!/usr/bin/env bash
# Removes every AuthorizationPolicy this lab makes, so Bookinfo answers everyone again.
set -euo pipefail
bash "$(dirname "$0")/../shared/authz-reset.sh"
