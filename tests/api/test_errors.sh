#!/usr/bin/env bash
# API end-to-end: every error code with its JSON error and the field at fault, malformed
# and hostile bodies, path traversal on the page's files; the server answers /v1/health
# after each.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/web/sub" "$TMP/outside"
printf '<!doctype html>\n' >"$TMP/web/index.html"
printf 'secret\n' >"$TMP/outside/secret.txt"
printf 'hidden\n' >"$TMP/web/.env"
ln -s "$TMP/outside/secret.txt" "$TMP/web/evil.txt"
ln -s "$TMP/outside" "$TMP/web/sub/out"
ln -s /etc/passwd "$TMP/web/passwd"

start_server --web "$TMP/web" --max-body 4096
R='from=CN-XIAN&to=DE-DUISBURG'

# ---------------------------------------------------------------- 400: bad parameters
req 400 GET "/v1/route?$R&optimize=speed"; error_is 400 optimize; has "unknown --optimize 'speed'"; alive
req 400 GET "/v1/route?$R&bogus=1"; error_is 400 bogus; has "unknown parameter 'bogus'"; alive
req 400 GET "/v1/route?$R&alternatives=0"; error_is 400 alternatives; alive
req 400 GET "/v1/route?$R&alternatives=many"; error_is 400 alternatives; alive
req 400 GET "/v1/route?$R&modes=rail,hovercraft"; error_is 400 modes; has "hovercraft"; alive
req 400 GET "/v1/route?$R&value-of-time=-3"; error_is 400 value-of-time; alive
req 400 GET "/v1/route?$R&include-planned=maybe"; error_is 400 include-planned; alive
req 400 GET "/v1/route?$R&optimize="; error_is 400 optimize; has "needs a value"; alive
req 400 GET "/v1/route?from=CN-XIAN"; error_is 400 null; has "give --from and --to"; alive
req 400 GET "/v1/route?$R&alternatives=2&via=AZ-ALAT"; error_is 400 null; alive
# the CLI's files and output formats are not parameters of the API
for p in network=/etc/passwd format=csv json=true output=/tmp/x pairs=/etc/passwd help=true quiet=true; do
  req 400 GET "/v1/route?$R&$p"; error_is 400 "${p%%=*}"; has "unknown parameter"
done
req 400 GET "/v1/assign?demand=CN-XIAN,DE-DUISBURG"; error_is 400 demand; alive
req 400 GET "/v1/assign?demand=CN-XIAN,DE-DUISBURG,-5"; error_is 400 demand; alive
req 400 GET "/v1/assign?demand=CN-XIAN,DE-DUISBURG,5&method=lp&gap=0.1"; error_is 400 null; alive
req 400 GET "/v1/flow?from=CN&to=EU&layer=gas,oil"; error_is 400 null; has "one --layer"; alive
req 400 GET "/v1/energy?region=IT&dmax=100"; error_is 400 null; has "add --n-1"; alive
req 400 GET "/v1/health?verbose=1"; error_is 400 verbose; alive
req 400 GET "/v1/scenarios?all=1"; error_is 400 all; alive

# ---------------------------------------------------------------- malformed bodies
post 400 /v1/route '{"from": "CN-XIAN", '; error_is 400 body; has "malformed JSON"; alive
post 400 /v1/route '[1, 2]'; error_is 400 body; has "JSON object"; alive
post 400 /v1/route '"CN-XIAN"'; error_is 400 body; alive
post 400 /v1/route '{"from": "CN-XIAN", "from": "KZ-AKTAU", "to": "AZ-ALAT"}'; error_is 400 body; alive
post 400 /v1/route '{"from": {"id": "CN-XIAN"}, "to": "DE-DUISBURG"}'; error_is 400 from; alive
post 400 /v1/route '{"from": null, "to": "DE-DUISBURG"}'; error_is 400 from; alive
post 400 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "modes": [["rail"]]}'; error_is 400 modes; alive
post 400 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "bogus": 1}'; error_is 400 bogus; alive
post 400 /v1/assign '{"demand": [{"from": "CN-XIAN", "to": "DE-DUISBURG"}]}'; error_is 400 demand; alive
printf '{"from": "CN-\000XIAN", "to": "DE-DUISBURG"}' >"$TMP/nul.json"
req 400 POST /v1/route --data-binary @"$TMP/nul.json"; error_is 400 body; alive
head -c 3000 /dev/urandom >"$TMP/random.bin"
req 400 POST /v1/route --data-binary @"$TMP/random.bin"; error_is 400 body; alive
printf '\xff\xfe{"from": "\xc3\x28"}' >"$TMP/badutf8.json"
req 400 POST /v1/route --data-binary @"$TMP/badutf8.json"; error_is 400 body; alive
# an empty POST body is no parameter at all
req 400 POST /v1/route; error_is 400 null; has "give --from and --to"; alive
# inline scenarios with faults name the place in the scenario
post 400 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "scenario": {"name": "x", "changes": [{"op": "close", "links": ["NOPE"]}]}}'
error_is 400 'scenario.changes[0].links[0]'; has "NOPE"; alive
post 400 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "scenario": {"name": "x", "changes": [{"op": "explode"}]}}'
error_is 400 'scenario.changes[0].op'; alive
post 400 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "scenario": {"changes": 3}}'
jqe '.error.field | startswith("scenario")'; alive

# ---------------------------------------------------------------- 404
req 404 GET "/v1/route?from=CN-XIAN&to=NOWHERE"; error_is 404 to; has "no node has the id 'NOWHERE'"; alive
req 404 GET "/v1/route?from=xian&to=DE-DUISBURG"; error_is 404 from; has "did you mean 'CN-XIAN'"; alive
req 404 GET "/v1/route?$R&via=ATLANTIS"; error_is 404 via; alive
req 404 GET "/v1/matrix?from=CN-XIAN,NOPE&to=DE-DUISBURG"; error_is 404 from; alive
req 404 GET "/v1/compare?from=CN-XIAN&to=NOPE"; error_is 404 to; alive
req 404 GET "/v1/flow?from=CN&to=QQ"; error_is 404 to; alive
req 404 GET "/v1/assign?demand=CN-XIAN,NOPE,5"; error_is 404 demand; alive
req 404 GET "/v1/route?$R&avoid-link=NOPE"; jqe '.error.code == 404'; has "NOPE"; alive
req 404 GET "/v1/route?$R&scenario=atlantis"; error_is 404 scenario; has "tripp"; alive
req 404 GET /v1/nope; error_is 404 null; alive
req 404 GET /v1/; error_is 404 null; alive
req 404 GET /v2/route; error_is 404 null; alive

# ---------------------------------------------------------------- 405
req 405 DELETE "/v1/route?$R"; error_is 405 null; header Allow "GET, POST"; alive
req 405 PUT /v1/route; error_is 405 null; alive
req 405 POST /v1/health; error_is 405 null; header Allow GET; alive
req 405 POST /v1/network; error_is 405 null; alive
req 405 POST /; error_is 405 null; alive
req 405 DELETE /index.html; error_is 405 null; alive

# ---------------------------------------------------------------- 413
head -c 10000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
req 413 POST /v1/route --data-binary @"$TMP/big.json"; error_is 413 null; has "4096"; alive
# without a Content-Length (chunked): refused once the limit is crossed
req 413 POST /v1/route -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.json"; error_is 413 null; alive
# just under the limit is fine
{ printf '{"from": "CN-XIAN", "to": "DE-DUISBURG"'; head -c 3500 /dev/zero | tr '\0' ' '; printf '}'; } >"$TMP/fits.json"
req 200 POST /v1/route --data-binary @"$TMP/fits.json"; jqe '.routes | length == 1'; alive

# ---------------------------------------------------------------- 422: no answer
req 422 GET "/v1/route?$R&modes=ferry"; error_is 422 null; has "no route"; alive
req 422 GET "/v1/route?from=CN-XIAN&to=DE-DUISBURG&modes=pipeline"; error_is 422 null; alive
post 422 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "alternatives": 3, "modes": "sea"}'; error_is 422 null; alive

# ---------------------------------------------------------------- the page's files: nothing outside the folder
req 200 GET /
for path in /../outside/secret.txt /%2e%2e/outside/secret.txt /%2E%2E/outside/secret.txt \
            /sub/../../outside/secret.txt /..%2foutside%2fsecret.txt /%2e%2e%2foutside%2fsecret.txt \
            /evil.txt /passwd /sub/out/secret.txt /.env /%2eenv "/..\\outside\\secret.txt" \
            /index.html%00.png /....//outside/secret.txt; do
  req 404 GET "$path" --path-as-is; jqe '.error.code == 404'
  check "no secret through $path" sh -c "! grep -q -E 'secret|hidden|root:' '$TMP/body'"
done
alive
# a very long URL and a huge header are refused by libmicrohttpd, and the server goes on
LONG=$(head -c 100000 /dev/zero | tr '\0' 'a')
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/v1/route?from=$LONG")
check "a 100 KB URL is refused (got $CODE)" test "$CODE" -ge 400
alive
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $LONG" "$BASE/v1/health")
check "a 100 KB header is refused (got $CODE)" test "$CODE" -ge 400
alive
# a client that sends half a request and leaves
exec 3<>/dev/tcp/127.0.0.1/"$PORT" && printf 'POST /v1/route HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"fr' >&3 && exec 3>&-
# garbage instead of HTTP
exec 3<>/dev/tcp/127.0.0.1/"$PORT" && head -c 2000 /dev/urandom >&3 && exec 3>&-
alive

stop_server
finish
