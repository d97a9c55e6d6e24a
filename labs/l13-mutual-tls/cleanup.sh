#!/usr/bin/env bash
# Removes the lab's namespaces and the mesh-wide PeerAuthentication, if step 4's is still there.
set -euo pipefail
bash "$(dirname "$0")/../shared/mtls-reset.sh"
