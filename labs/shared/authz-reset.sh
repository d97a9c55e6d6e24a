#!/usr/bin/env bash
# The authorization labs' policies, wherever a learner may have put them: with any of them left,
# Bookinfo (or the ingress gateway) denies requests in every later lab.
set -euo pipefail
kubectl -n default delete authorizationpolicy allow-nothing productpage-viewer details-viewer reviews-viewer ratings-viewer deny-post-products --ignore-not-found
kubectl -n istio-system delete authorizationpolicy allow-nothing --ignore-not-found
# The JWT lab's step 5 on the ingress gateway (a token required for jwt.example.com).
kubectl -n istio-system delete authorizationpolicy ingress-require-jwt --ignore-not-found
kubectl -n istio-system delete requestauthentication ingress-jwt --ignore-not-found
