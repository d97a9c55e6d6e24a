#!/usr/bin/env bash
# Step ingress-jwt: the ingress gateway validates tokens, and refuses requests for jwt.example.com
# that carry none (a DENY on notRequestPrincipals, so every other host, Bookinfo too, stays open).
set -euo pipefail
kubectl apply -n istio-system -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ingress-jwt
spec:
  selector:
    matchLabels:
      istio: ingressgateway
  jwtRules:
    - issuer: testing@secure.istio.io
      jwks: '{"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":"GA0JrtW-iJQ6iXxw","n":"lb9XTx5Q8DWVte-YukAtXqO5HseknhUvoU_5wnBWyrwJfn6w23L_H6aWDIeRdNjNi0RcU0_tPn7n43jLXziub1v-3mLek1-cDkHnUhKu0ErvHQUEev1DPctfT3xDoNYjaRgevZyGWwrhgq3ylIlY3NRL_HBACLiMMWf4JDNzNfogf_BxkdRVuS-sten3ZyoiEq1Ws6srDiDxFg78yuLeq1Cm_0pXmSS4M0tZTEo9f_tPZNINmren2DoWX2pzgZ_W68AC2q6h97AW5d7-VGl-h-ijh19oD1R3J7gakFAO_ouP4n1t4aXOKSF5wRGzOAyKNrDf0-jW7F3epY6LDRZ4rw","e":"AQAB"}]}'
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ingress-require-jwt
spec:
  selector:
    matchLabels:
      istio: ingressgateway
  action: DENY
  rules:
    - from:
        - source:
            notRequestPrincipals: ["*"]
      to:
        - operation:
            hosts: ["jwt.example.com"]
YAML
