const { exec, execFile } = require("child_process");
const serialize = require("node-serialize");

app.get("/user", (req, res) => {
  const name = req.query.name;
  const sql = "SELECT * FROM users WHERE name = '" + name + "'";
  // ruleid: js-taint-sql-from-request
  db.query(sql, (err, rows) => res.json(rows));
});

app.get("/user-safe", (req, res) => {
  // ok: js-taint-sql-from-request
  db.query("SELECT * FROM users WHERE name = ?", [req.query.name], (err, rows) => res.json(rows));
});

app.get("/ping", (req, res) => {
  const host = req.query.host;
  // ruleid: js-taint-command-from-request
  exec(`ping -c 1 ${host}`, (err, out) => res.send(out));
});

app.get("/ping-safe", (req, res) => {
  // ok: js-taint-command-from-request
  execFile("ping", ["-c", "1", req.query.host], (err, out) => res.send(out));
});

app.post("/calc", (req, res) => {
  const expr = req.body.expr;
  // ruleid: js-taint-code-from-request
  res.send(String(eval(expr)));
});

app.post("/calc-safe", (req, res) => {
  const data = JSON.parse(req.body.data);
  // ok: js-taint-code-from-request
  res.send(String(eval("1 + 1")) + data);
});

app.post("/restore", (req, res) => {
  // ruleid: js-taint-deserialization-from-request
  const obj = serialize.unserialize(req.cookies.profile);
  // ok: js-taint-deserialization-from-request
  const plain = JSON.parse(req.cookies.profile);
  res.json({ obj, plain });
});
