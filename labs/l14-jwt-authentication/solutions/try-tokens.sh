#!/usr/bin/env bash
# Step try-tokens: a valid token (200), a malformed one (401) and none at all (200).
set -euo pipefail
TOKEN='eyJhbGciOiJSUzI1NiIsImtpZCI6IkdBMEpydFctaUpRNmlYeHciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyIsInN1YiI6InRlc3RpbmdAc2VjdXJlLmlzdGlvLmlvIiwiaWF0IjoxNzY0ODA2NDAwLCJleHAiOjQxMDI0NDQ4MDB9.JwyMn0bkkqwffc_biPF10ViMt4roF1R-NyahS34AVVxpy6SAMEw5miNLLdEYioXJuBHcT2e0q6EvUVxCLtlqaL1BNyuWVueAMzkValp7ekyMt2t2SDqQqguCCPm7ej_mjrcHh-b6Y8-tzd6FqP8BED_o7tXSQ_gwz2a34hvHHKgYsd0lzVQmg4cMaUUvWrNsivZegi83HYd2S-clHThbKqriC9ggnSN8NudNwf6YoVUcc3itDyuJdXGEKz80IPMfHEkU9ZHpn3j5lKWJmQHtqyWNor-umLS5mxfkal9VjDB61jLcMcAIP9lgbLDpGyV7g647_cAgK395vR1f2WnTPg'
sleep 5
kubectl -n foo exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" http://httpbin.foo:8000/headers
kubectl -n foo exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer not-a-token" http://httpbin.foo:8000/headers
kubectl -n foo exec deploy/curl -c curl -- curl -s -o /dev/null -w '%{http_code}\n' http://httpbin.foo:8000/headers
