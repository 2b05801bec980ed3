#!/usr/bin/env bash
# Outside-attacker runs against a THROWAWAY instance (issue 7, part 9): sqlmap against the
# sign-in form, the case search and the API, for one backend.  See docs/security.md.
#
#   BASE=http://127.0.0.1:5801 DBMS=SQLite TOKEN_MED=med_... TOKEN_SUP=med_... \
#   OUT=/tmp/atk/sqlite scripts/attack.sh [all|login|search|search_rows|api_list|api_list_rows|api_read|api_stats|api_post|deep_q|throttle]
#
# TOKEN_MED: `flask users token mediator_cc`; TOKEN_SUP: `flask users token supervisor_cc`.
# The instance must run with a generous sign-in limit for the `login` run, e.g.
#   MEDIATION_LOGIN_ATTEMPTS_PER_ACCOUNT="100000 per 15 minutes"
#   MEDIATION_LOGIN_ATTEMPTS_PER_ADDRESS="100000 per 15 minutes"
# and with the default limits (5/20 per 15 minutes) for the `throttle` run (BASE of that one).
# Never point this at a real deployment: the POST run creates cases.
set -u
: "${BASE:?}" "${DBMS:?}" "${OUT:?}"
CASE="${CASE:-220182-2026-00001}"          # a Changchun case number of the instance
BODY="${BODY:-$(dirname "$0")/attack_referral.json}"
LIMIT="${LIMIT:-900}"                        # seconds per sqlmap run at most
mkdir -p "$OUT"
COMMON=(--batch --level=3 --risk=2 "--dbms=$DBMS" --threads=4 --time-sec=2 --timeout=10 --retries=1
        --flush-session --disable-coloring )

session_cookie() {  # sign in as mediator_cc with curl, print "session=..."
  local jar="$OUT/cookies.txt" csrf
  rm -f "$jar"
  csrf=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | grep -o 'name="csrf_token" type="hidden" value="[^"]*' | sed 's/.*value="//')
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
       -d username=mediator_cc -d password=demo-pass-2026 "$BASE/login"
  sed "s/^#HttpOnly_//" "$jar" | awk '!/^#/ && NF {print $6"="$7}' | paste -sd";"
}

run() {  # name, sqlmap args...  (--csrf-url runs single-threaded: sqlmap refuses --threads with it)
  local name=$1; shift
  local opts=("${COMMON[@]}")
  case " $* " in *--csrf-url*) opts=("${opts[@]/--threads=4/--threads=1}");; esac
  echo "== $name: sqlmap $* ${opts[*]}" | tee "$OUT/$name.log"
  # one output directory per run: parallel runs against one host must not share a session file
  timeout "$LIMIT" sqlmap "$@" "${opts[@]}" "--output-dir=$OUT/sqlmap-$name" >> "$OUT/$name.log" 2>&1
  echo "== exit $?" >> "$OUT/$name.log"
}

login() {
  run login -u "$BASE/login" --data "csrf_token=x&username=mediator_cc&password=wrong-pass-1" \
      --csrf-token=csrf_token "--csrf-url=$BASE/login" -p username,password --ignore-code=401
}
search() {
  run search -u "$BASE/?q=a&state=mediating&region=220100&channel=court&overdue=overdue&employer=9122&figure=received&period=2026-11&kind=wages&venue=1&page=1" \
      --cookie "$(session_cookie)" -p q,state,region,channel,overdue,employer,figure,period,kind,venue,page
}
api_list() {
  run api_list -u "$BASE/api/v1/cases?q=a&state=intake&region=220100&channel=court&overdue=overdue&employer=9122&page=1&per_page=5" \
      "--headers=Authorization: Bearer $TOKEN_MED" -p q,state,region,channel,overdue,employer,page,per_page
}
# The same two searches with a baseline that has rows (q matches most employers), so that a
# boolean-blind "true" and "false" would give different pages.
search_rows() {
  run search_rows -u "$BASE/?q=%E5%85%AC%E5%8F%B8" --cookie "$(session_cookie)" -p q
}
api_list_rows() {
  run api_list_rows -u "$BASE/api/v1/cases?q=%E5%85%AC%E5%8F%B8&per_page=5" "--headers=Authorization: Bearer $TOKEN_MED" -p q,per_page
}
# The search term, deepest: --level=5 --risk=3 (OR-based payloads too; the searches only read).
deep_q() {
  COMMON=("${COMMON[@]/--level=3/--level=5}"); COMMON=("${COMMON[@]/--risk=2/--risk=3}")
  run deep_search_q -u "$BASE/?q=%E5%85%AC%E5%8F%B8" --cookie "$(session_cookie)" -p q &
  run deep_api_q -u "$BASE/api/v1/cases?q=%E5%85%AC%E5%8F%B8&per_page=5" "--headers=Authorization: Bearer $TOKEN_MED" -p q &
  wait
}
api_read() {
  run api_read -u "$BASE/api/v1/cases/$CASE*" "--headers=Authorization: Bearer $TOKEN_MED"
}
api_stats() {
  run api_stats -u "$BASE/api/v1/stats/recovery?from=2026-01-01&to=2026-11-30&region=220100&channel=court&kind=wages&venue=1" \
      "--headers=Authorization: Bearer $TOKEN_SUP" -p from,to,region,channel,kind,venue
}
api_post() {
  run api_post -u "$BASE/api/v1/cases" --data "$(cat "$BODY")" \
      "--headers=Authorization: Bearer $TOKEN_MED" --method POST
}
throttle() {  # short sqlmap run at the default limits: count the 429s it meets
  echo "== throttle: sqlmap against $BASE/login at the default limits" | tee "$OUT/throttle.log"
  timeout 300 sqlmap -u "$BASE/login" --data "csrf_token=x&username=mediator_cc&password=wrong-pass-1" \
      --csrf-token=csrf_token "--csrf-url=$BASE/login" -p username,password --ignore-code=401,429 \
      --batch --level=1 --risk=1 "--dbms=$DBMS" --flush-session --disable-coloring \
      "--output-dir=$OUT/sqlmap-throttle" >> "$OUT/throttle.log" 2>&1
  echo "== exit $?" >> "$OUT/throttle.log"
}

what=${1:-all}
if [ "$what" = all ]; then
  login & search & search_rows & api_list & api_list_rows & api_read & api_stats & api_post & wait
else
  "$what"
fi
