#!/usr/bin/env bash
# The "Common workflows" docs page, end to end, against a local server:
# create a client and an hourly project, log time with durationSeconds and with a
# human duration ("1h30m"), check the running timer, and read the entries back.
# Usage: HOURSMITH_API_TOKEN=hsk_test_… bash examples/common-workflow.sh
# Needs curl and jq only. A refused call stops the script with the API's own error.
set -euo pipefail
BASE=${HOURSMITH_API_BASE:-http://localhost:5080/api/v1}
: "${HOURSMITH_API_TOKEN:?set HOURSMITH_API_TOKEN to an API token (Owner, Admin or Manager)}"

# Every POST needs a unique Idempotency-Key; 128 random bits in hex will do.
new_key() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# curl with the token; prints the body of a 2xx, otherwise the error envelope on stderr, and fails.
api() { # curl arguments
  local response status
  response=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $HOURSMITH_API_TOKEN" "$@")
  status=${response##*$'\n'}
  response=${response%$'\n'*}
  if ((status < 200 || status > 299)); then
    echo "HTTP $status: $(jq -c '.error // .' <<<"$response" 2>/dev/null || echo "$response")" >&2
    return 1
  fi
  printf '%s\n' "$response"
}
post() { api "$BASE$1" -H "Idempotency-Key: $(new_key)" -H "Content-Type: application/json" -d "$2"; }
get() { api "$BASE$1"; }

# 1. Create a client
client_id=$(post /clients '{ "name": "Globex", "email": "billing@globex.com", "currency": "USD" }' | jq -r .data.id)
echo "client   $client_id Globex"

# 2. Create an hourly project for that client
project_id=$(post /projects "{ \"clientId\": \"$client_id\", \"name\": \"Website redesign\" }" | jq -r .data.id)
echo "project  $project_id Website redesign"

# 3. Log time: the canonical durationSeconds ...
first=$(post /time-entries "{
    \"projectId\": \"$project_id\",
    \"entryDate\": \"2026-06-11\",
    \"durationSeconds\": 5400,
    \"note\": \"Homepage layout\",
    \"billable\": true
  }" | jq -r .data.id)
# ... or a human duration string
second=$(post /time-entries "{
    \"projectId\": \"$project_id\",
    \"entryDate\": \"2026-06-11\",
    \"duration\": \"1h30m\",
    \"note\": \"Homepage layout\"
  }" | jq -r .data.id)

# 4. Check the running timer (none here: both entries have a duration)
running=$(get "/time-entries?running=true&limit=1" | jq '.data | length')
echo "running  $running"

# 5. Read both entries back
for id in "$first" "$second"; do
  get "/time-entries/$id" | jq -r '.data | "entry    \(.id) \(.entryDate) \(.durationSeconds)s billable=\(.billable) \(.note)"'
done
