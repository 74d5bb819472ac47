Sure! Here's the updated handler:

app.get("/x", (req, res) => {
  // ruleid: fallback-js-eval
  const v = eval(req.query.expr
  // ok: fallback-js-eval
  eval("1 + 1")
  // ruleid: fallback-js-eval
  var parsed = eval('(' + request.responseText + ')');
  // ok: fallback-js-eval
  var add = new Function("a", "b", "return a + b");
  // ruleid: fallback-js-eval
  const current = eval(
    source
  // ruleid: fallback-js-fs-non-literal-path
  const output = fs.createWriteStream(cmdObj.resultsTo
  // ok: fallback-js-fs-non-literal-path
  const cfg = fs.readFileSync("config.json"
  // ruleid: fallback-js-eval
  this.compare = new Function('a', 'b', parts.join(format[0])
  // ruleid: fallback-js-exec
  exec("ping -c 1 " + req.query.host, cb
  // ruleid: fallback-js-sql-concat
  db.query(`SELECT * FROM t WHERE id = ${req.params.id}`
  // ok: fallback-js-sql-concat
  db.query("SELECT * FROM t WHERE id = ?", [id]
  // ruleid: fallback-js-inner-html
  el.innerHTML = "<b>" + name
  // ok: fallback-js-inner-html
  el.innerHTML = "";
  // ruleid: fallback-js-weak-hash
  const h = crypto.createHash('md5').update(x
  // ruleid: fallback-js-math-random
  const id = Math.random().toString(36
