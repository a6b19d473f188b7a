#!/usr/bin/env bash
# The curl sample from the Authentication docs page, pointed at a local server.
# Usage: HOURSMITH_API_TOKEN=hsk_test_… bash examples/me.sh
curl http://localhost:5080/api/v1/me \
  -H "Authorization: Bearer $HOURSMITH_API_TOKEN"
