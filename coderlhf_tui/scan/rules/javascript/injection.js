const child_process = require("child_process");
const { exec, execFile } = require("child_process");
const vm = require("vm");

async function findUser(db, name, id) {
  // ruleid: js-sql-built-from-strings
  await db.query("SELECT * FROM users WHERE name = '" + name + "'");
  // ruleid: js-sql-built-from-strings
  await db.query(`SELECT * FROM users WHERE id = ${id}`);
  const sql = "DELETE FROM users WHERE id = " + id;
  // ruleid: js-sql-built-from-strings
  await db.execute(sql);
  // ok: js-sql-built-from-strings
  await db.query("SELECT * FROM users WHERE name = ?", [name]);
  // ok: js-sql-built-from-strings
  await db.query("SELECT count(*) FROM users");
}

function ping(host, res) {
  // ruleid: js-child-process-non-literal
  exec("ping -c 1 " + host, (err, out) => res.send(out));
  // ruleid: js-child-process-non-literal
  child_process.execSync(`tar czf /tmp/${host}.tgz /srv`);
  // ok: js-child-process-non-literal
  execFile("ping", ["-c", "1", host], (err, out) => res.send(out));
  // ok: js-child-process-non-literal
  child_process.execSync("uptime");
  // ok: js-child-process-non-literal
  const m = /a(b)/.exec(host);
  return m;
}

function calc(expr, code) {
  // ruleid: js-eval-non-literal
  const v = eval(expr);
  // ruleid: js-eval-non-literal
  const f = new Function("a", code);
  // ruleid: js-eval-non-literal
  vm.runInNewContext(code, {});
  // ok: js-eval-non-literal
  setTimeout(() => console.log(v), 10);
  // ok: js-eval-non-literal
  eval("2 + 2");
  return f;
}

function loadPlugin(name) {
  // ruleid: js-dynamic-require
  const plugin = require("./plugins/" + name);
  // ok: js-dynamic-require
  const path = require("path");
  return [plugin, path];
}
