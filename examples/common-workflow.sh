#!/usr/bin/env bash
# The "Common workflows" docs page, end to end, against a local server:
# create a client and an hourly project, log time with durationSeconds and with a
# human duration ("1h30m"), check the running timer, and read the entries back.
# Usage: TOKEN=hsk_test_… bash examples/common-workflow.sh
set -euo pipefail
BASE=${HOURSMITH_API_BASE:-http://localhost:5080/api/v1}
: "${TOKEN:?set TOKEN to an API token (Owner, Admin or Manager)}"

post() { # path json
  curl -sS --fail-with-body "$BASE$1" \
    -H "Authorization: Bearer $TOKEN" \
    -H "Idempotency-Key: $(uuidgen)" \
    -H "Content-Type: application/json" \
    -d "$2"
}
get() { # path
  curl -sS --fail-with-body "$BASE$1" -H "Authorization: Bearer $TOKEN"
}

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
