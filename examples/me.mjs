// The JavaScript (fetch, Node 20+) sample from the Authentication docs page, pointed at a local server.
// Usage: HOURSMITH_API_TOKEN=hsk_test_… node examples/me.mjs
const res = await fetch('http://localhost:5080/api/v1/me', {
  headers: { Authorization: `Bearer ${process.env.HOURSMITH_API_TOKEN}` },
});
const { data } = await res.json();
console.log(data.orgName, data.role, data.plan);
