# The Python (requests) sample from the Authentication docs page, pointed at a local server.
# Usage: HOURSMITH_API_TOKEN=hsk_test_… python3 examples/me.py
import os, requests

res = requests.get(
    "http://localhost:5080/api/v1/me",
    headers={"Authorization": f"Bearer {os.environ['HOURSMITH_API_TOKEN']}"},
)
print(res.json()["data"])
