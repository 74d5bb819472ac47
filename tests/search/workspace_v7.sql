-- A workspace as coderlhf wrote it at schema 7, before migration 8 (sqlite3 .dump): two
-- tasks, an annotation and a scan, indexed by the one-table search index of migration 3.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        task_type TEXT,
        prompt TEXT NOT NULL,
        tests TEXT,
        gold TEXT,
        metadata TEXT,
        is_gold INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL
    , n_responses INTEGER NOT NULL DEFAULT 2);
INSERT INTO tasks VALUES('t-1','python',NULL,'Parse a config file',NULL,NULL,NULL,0,'2026-12-07T06:22:20.561764Z',2);
INSERT INTO tasks VALUES('t-2','python',NULL,'Count the lines of a file',NULL,NULL,NULL,0,'2026-12-07T06:22:20.561764Z',2);
CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        annotator TEXT NOT NULL,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
INSERT INTO annotations VALUES('7debc887-b4d4-46eb-9b77-b21c617f0c86','t-1','ak',1,'submitted','{"annotator":"ak","created_at":"2026-12-07T06:22:20.562264Z","id":"7debc887-b4d4-46eb-9b77-b21c617f0c86","preference":"B>A","rationale":"B avoids the shell race","revision":1,"rubric_version":"","scores":{},"shown_order":"ab","status":"submitted","tags":["SAFE"],"task_id":"t-1","time_spent_s":0.0,"updated_at":"2026-12-07T06:22:20.562264Z"}','2026-12-07T06:22:20.562264Z');
CREATE TABLE annotation_revisions (
        annotation_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (annotation_id, revision)
    ) WITHOUT ROWID;
INSERT INTO annotation_revisions VALUES('7debc887-b4d4-46eb-9b77-b21c617f0c86',1,'{"annotator":"ak","created_at":"2026-12-07T06:22:20.562264Z","id":"7debc887-b4d4-46eb-9b77-b21c617f0c86","preference":"B>A","rationale":"B avoids the shell race","revision":1,"rubric_version":"","scores":{},"shown_order":"ab","status":"submitted","tags":["SAFE"],"task_id":"t-1","time_spent_s":0.0,"updated_at":"2026-12-07T06:22:20.562264Z"}','2026-12-07T06:22:20.562647Z');
CREATE TABLE adjudications (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
CREATE TABLE test_runs (
        content_hash TEXT PRIMARY KEY,
        verdict TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
CREATE TABLE response_test_runs (
        task_id TEXT NOT NULL,
        key TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
CREATE TABLE scans (scan_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL);
INSERT INTO scans VALUES('h-1','2026-12-07T06:22:23.064151Z');
CREATE TABLE findings (
        scan_hash TEXT NOT NULL,
        idx INTEGER NOT NULL,
        rule_id TEXT NOT NULL,
        cwe_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        confidence TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (scan_hash, idx)
    ) WITHOUT ROWID;
INSERT INTO findings VALUES('h-1',0,'py-shell-true','CWE-78','HIGH','MEDIUM',3,3,'{"category":"security","confidence":"MEDIUM","cwe_id":"CWE-78","cwe_title":"OS Command Injection","end_line":3,"fix_hint":"","message":"os.system builds a command from input","owasp":"","related_cwes":[],"rule_id":"py-shell-true","severity":"HIGH","source":"semgrep","start_line":3,"trace":[]}');
CREATE TABLE response_scans (
        task_id TEXT NOT NULL,
        key TEXT NOT NULL,
        scan_hash TEXT NOT NULL,
        finding_count INTEGER NOT NULL,
        max_severity TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
INSERT INTO response_scans VALUES('t-2','b','h-1',1,'HIGH','2026-12-07T06:22:23.064151Z');
CREATE TABLE signals (
        task_id TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
INSERT INTO outbox VALUES(1,'annotation','7debc887-b4d4-46eb-9b77-b21c617f0c86',1,'{"annotator":"ak","created_at":"2026-12-07T06:22:20.562264Z","id":"7debc887-b4d4-46eb-9b77-b21c617f0c86","preference":"B>A","rationale":"B avoids the shell race","revision":1,"rubric_version":"","scores":{},"shown_order":"ab","status":"submitted","tags":["SAFE"],"task_id":"t-1","time_spent_s":0.0,"updated_at":"2026-12-07T06:22:20.562264Z"}','2026-12-07T06:22:20.562264Z');
CREATE TABLE IF NOT EXISTS "search_docs" (
   "id" INTEGER PRIMARY KEY,
   "task_id" TEXT NOT NULL,
   "field" TEXT NOT NULL,
   "ref" TEXT NOT NULL DEFAULT '',
   "body" TEXT
);
INSERT INTO search_docs VALUES(1,'t-1','prompt','',NULL);
INSERT INTO search_docs VALUES(2,'t-2','prompt','',NULL);
INSERT INTO search_docs VALUES(3,'t-1','code','a',NULL);
INSERT INTO search_docs VALUES(4,'t-1','code','b',NULL);
INSERT INTO search_docs VALUES(5,'t-2','code','a',NULL);
INSERT INTO search_docs VALUES(6,'t-2','code','b',NULL);
INSERT INTO search_docs VALUES(7,'t-1','rationale','7debc887-b4d4-46eb-9b77-b21c617f0c86','B avoids the shell race');
INSERT INTO search_docs VALUES(8,'t-1','tags','7debc887-b4d4-46eb-9b77-b21c617f0c86','SAFE');
INSERT INTO search_docs VALUES(9,'t-1','comments','7debc887-b4d4-46eb-9b77-b21c617f0c86',NULL);
INSERT INTO search_docs VALUES(10,'t-2','findings','b','py-shell-true CWE-78 os.system builds a command from input');
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','search_fts','search_fts',0,'CREATE VIRTUAL TABLE search_fts USING fts5(prompt, code, rationale, tags, comments, findings, content=''search_content'', content_rowid=''id'', columnsize=0)');
CREATE TABLE IF NOT EXISTS 'search_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO search_fts_data VALUES(1,X'0a0a180501000c');
INSERT INTO search_fts_data VALUES(10,X'000000010103030003010101020101030101');
INSERT INTO search_fts_data VALUES(137438953473,X'0000011b0230610102030102060103636d64030601010602056f6e6669670102040303756e74020202030601010301036465660506010102010466696c650102050102070106696d706f727403060101020106010102020601010201016c06060101070202656e05060101060204696e657302020401026f66020205020370656e050601010702017306080101030301017005080101040601060101080204617273650102020109726561646c696e6573050601010903047475726e05060101050202756e030601010501057368656c6c03060101070209756270726f636573730308010103030205797374656d0606010105010374686502020302066f6d6c6c696204060101030203727565030601010801027763060601010604090a0a0d0a0c17080909070a090e09100b090c110c080d0a');
INSERT INTO search_fts_data VALUES(274877906945,X'00000044073061766f6964730706010203010162070601020201047261636507060102060104736166650806010302020468656c6c070601020501037468650706010204040d080b0b0b');
INSERT INTO search_fts_data VALUES(412316860417,X'00000085033037380a060105060101610a0601050a01066275696c64730a060105090107636f6d6d616e640a0601050b020277650a06010505010466726f6d0a0601050c0105696e7075740a0601050d01026f730a06010507010270790a0601050201057368656c6c0a060105030205797374656d0a060105080104747275650a060105040409080d0e090b0c09090c0c');
CREATE TABLE IF NOT EXISTS 'search_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO search_fts_idx VALUES(1,X'',2);
INSERT INTO search_fts_idx VALUES(2,X'',2);
INSERT INTO search_fts_idx VALUES(3,X'',2);
CREATE TABLE IF NOT EXISTS 'search_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO search_fts_config VALUES('hashsize',33554432);
INSERT INTO search_fts_config VALUES('version',4);
CREATE TABLE repo_runs (
        content_hash TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        response TEXT NOT NULL,
        grade TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS "responses" (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (key IN ('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')),
    response_id TEXT NOT NULL,
    model TEXT,
    code TEXT NOT NULL,
    PRIMARY KEY (task_id, key)
);
INSERT INTO responses VALUES('t-1','a','a',NULL,replace('import subprocess\nsubprocess.run(cmd, shell=True)\n','\n',char(10)));
INSERT INTO responses VALUES('t-1','b','b',NULL,replace('import tomllib\n','\n',char(10)));
INSERT INTO responses VALUES('t-2','a','a',NULL,replace('def count(p):\n    return len(open(p).readlines())\n','\n',char(10)));
INSERT INTO responses VALUES('t-2','b','b',NULL,replace('import os\nos.system(''wc -l '' + p)\n','\n',char(10)));
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('outbox',1);
CREATE INDEX tasks_language ON tasks(language);
CREATE INDEX annotations_task ON annotations(task_id, annotator);
CREATE INDEX annotations_annotator ON annotations(annotator);
CREATE INDEX adjudications_task ON adjudications(task_id);
CREATE INDEX outbox_ref ON outbox(kind, ref_id);
CREATE UNIQUE INDEX "search_docs_source"
    ON "search_docs" ("task_id", "field", "ref");
CREATE VIEW "search_content" AS 
SELECT d.id,
       CASE WHEN d.field = 'prompt'
            THEN (SELECT t.prompt FROM tasks t WHERE t.id = d.task_id) END AS prompt,
       CASE WHEN d.field = 'code'
            THEN (SELECT r.code FROM responses r WHERE r.task_id = d.task_id AND r.key = d.ref)
            END AS code,
       CASE WHEN d.field = 'rationale' THEN d.body END AS rationale,
       CASE WHEN d.field = 'tags' THEN d.body END AS tags,
       CASE WHEN d.field = 'comments' THEN d.body END AS comments,
       CASE WHEN d.field = 'findings' THEN d.body END AS findings
  FROM search_docs d;
CREATE TRIGGER search_tasks_au AFTER UPDATE OF prompt ON tasks BEGIN INSERT INTO search_fts(search_fts, rowid, prompt) SELECT 'delete', id, old.prompt FROM search_docs WHERE task_id = old.id AND field = 'prompt' AND ref = '';INSERT INTO search_fts(rowid, prompt) SELECT id, new.prompt FROM search_docs WHERE task_id = old.id AND field = 'prompt' AND ref = ''; END;
CREATE TRIGGER search_tasks_ad AFTER DELETE ON tasks BEGIN INSERT INTO search_fts(search_fts, rowid, prompt) SELECT 'delete', id, old.prompt FROM search_docs WHERE task_id = old.id AND field = 'prompt' AND ref = '';DELETE FROM search_docs WHERE task_id = old.id AND field = 'prompt' AND ref = ''; END;
CREATE TRIGGER search_annotations_ai AFTER INSERT ON annotations BEGIN INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'rationale', new.id, json_extract(new.body, '$.rationale'));INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'tags', new.id, (SELECT group_concat(value, ' ') FROM json_each(new.body, '$.tags')));INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'comments', new.id, (SELECT group_concat(json_extract(value, '$.text'), char(10)) FROM json_each(new.body, '$.comments')));INSERT INTO search_fts(rowid, prompt, code, rationale, tags, comments, findings) SELECT id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = new.task_id AND ref = new.id AND field IN ('rationale','tags','comments')); END;
CREATE TRIGGER search_annotations_au AFTER UPDATE OF body, task_id ON annotations BEGIN INSERT INTO search_fts(search_fts, rowid, prompt, code, rationale, tags, comments, findings) SELECT 'delete', id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = old.task_id AND ref = old.id AND field IN ('rationale','tags','comments'));DELETE FROM search_docs WHERE task_id = old.task_id AND ref = old.id AND field IN ('rationale','tags','comments');INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'rationale', new.id, json_extract(new.body, '$.rationale'));INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'tags', new.id, (SELECT group_concat(value, ' ') FROM json_each(new.body, '$.tags')));INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'comments', new.id, (SELECT group_concat(json_extract(value, '$.text'), char(10)) FROM json_each(new.body, '$.comments')));INSERT INTO search_fts(rowid, prompt, code, rationale, tags, comments, findings) SELECT id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = new.task_id AND ref = new.id AND field IN ('rationale','tags','comments')); END;
CREATE TRIGGER search_annotations_ad AFTER DELETE ON annotations BEGIN INSERT INTO search_fts(search_fts, rowid, prompt, code, rationale, tags, comments, findings) SELECT 'delete', id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = old.task_id AND ref = old.id AND field IN ('rationale','tags','comments'));DELETE FROM search_docs WHERE task_id = old.task_id AND ref = old.id AND field IN ('rationale','tags','comments'); END;
CREATE TRIGGER search_scans_ai AFTER INSERT ON response_scans BEGIN INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'findings', new.key, (SELECT group_concat(f.rule_id || ' ' || f.cwe_id || ' ' || coalesce(json_extract(f.body, '$.message'), ''), char(10)) FROM findings f WHERE f.scan_hash = new.scan_hash));INSERT INTO search_fts(rowid, prompt, code, rationale, tags, comments, findings) SELECT id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = new.task_id AND field = 'findings' AND ref = new.key); END;
CREATE TRIGGER search_scans_au AFTER UPDATE ON response_scans BEGIN INSERT INTO search_fts(search_fts, rowid, prompt, code, rationale, tags, comments, findings) SELECT 'delete', id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = old.task_id AND field = 'findings' AND ref = old.key);UPDATE search_docs SET body = (SELECT group_concat(f.rule_id || ' ' || f.cwe_id || ' ' || coalesce(json_extract(f.body, '$.message'), ''), char(10)) FROM findings f WHERE f.scan_hash = new.scan_hash) WHERE task_id = old.task_id AND field = 'findings' AND ref = old.key;INSERT INTO search_fts(rowid, prompt, code, rationale, tags, comments, findings) SELECT id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = old.task_id AND field = 'findings' AND ref = old.key); END;
CREATE TRIGGER search_scans_ad AFTER DELETE ON response_scans BEGIN INSERT INTO search_fts(search_fts, rowid, prompt, code, rationale, tags, comments, findings) SELECT 'delete', id, prompt, code, rationale, tags, comments, findings FROM search_content WHERE id IN (SELECT id FROM search_docs WHERE task_id = old.task_id AND field = 'findings' AND ref = old.key);DELETE FROM search_docs WHERE task_id = old.task_id AND field = 'findings' AND ref = old.key; END;
CREATE VIEW "annotations_flat" AS SELECT a.id AS annotation_id, a.task_id, t.language, t.task_type, a.annotator, a.status,
       a.revision, json_extract(a.body, '$.preference') AS preference,
       CASE json_extract(a.body, '$.preference') WHEN 'A>>B' THEN -2 WHEN 'A>B' THEN -1 WHEN 'tie' THEN 0 WHEN 'B>A' THEN 1 WHEN 'B>>A' THEN 2 END AS preference_score,
       json_extract(a.body, '$.ranking') AS ranking,
       json_extract(a.body, '$.scores.a.correctness') AS a_correctness,
       json_extract(a.body, '$.scores.a.security') AS a_security,
       json_extract(a.body, '$.scores.a.readability') AS a_readability,
       json_extract(a.body, '$.scores.a.efficiency') AS a_efficiency,
       json_extract(a.body, '$.scores.a.style') AS a_style,
       json_extract(a.body, '$.scores.b.correctness') AS b_correctness,
       json_extract(a.body, '$.scores.b.security') AS b_security,
       json_extract(a.body, '$.scores.b.readability') AS b_readability,
       json_extract(a.body, '$.scores.b.efficiency') AS b_efficiency,
       json_extract(a.body, '$.scores.b.style') AS b_style,
       json_extract(a.body, '$.rationale') AS rationale,
       (SELECT group_concat(value, ', ') FROM json_each(a.body, '$.tags')) AS tags,
       coalesce(json_array_length(a.body, '$.comments'), 0) AS comments,
       json_extract(a.body, '$.time_spent_s') AS time_spent_s,
       json_extract(a.body, '$.shown_order') AS shown_order,
       json_extract(a.body, '$.rubric_version') AS rubric_version,
       json_extract(a.body, '$.created_at') AS created_at, a.updated_at
  FROM annotations a LEFT JOIN tasks t ON t.id = a.task_id;
CREATE VIEW "annotation_scores" AS SELECT a.id AS annotation_id, a.task_id, a.annotator, a.status, r.key AS response,
       d.key AS dimension, d.value AS score
  FROM annotations a, json_each(a.body, '$.scores') r, json_each(r.value) d;
CREATE VIEW "pairs" AS SELECT t.id AS task_id, t.language, t.task_type, t.is_gold,
       (SELECT count(*) FROM responses r WHERE r.task_id = t.id) AS responses,
       
       (SELECT r.verdict FROM response_test_runs x JOIN test_runs r
          ON r.content_hash = x.content_hash
         WHERE x.task_id = t.id AND x.key = 'a') AS verdict_a,
       (SELECT s.finding_count FROM response_scans s
         WHERE s.task_id = t.id AND s.key = 'a') AS findings_a,
       (SELECT s.max_severity FROM response_scans s
         WHERE s.task_id = t.id AND s.key = 'a') AS max_severity_a,
       (SELECT r.verdict FROM response_test_runs x JOIN test_runs r
          ON r.content_hash = x.content_hash
         WHERE x.task_id = t.id AND x.key = 'b') AS verdict_b,
       (SELECT s.finding_count FROM response_scans s
         WHERE s.task_id = t.id AND s.key = 'b') AS findings_b,
       (SELECT s.max_severity FROM response_scans s
         WHERE s.task_id = t.id AND s.key = 'b') AS max_severity_b,
       (SELECT count(*) FROM annotations a WHERE a.task_id = t.id) AS annotations,
       (SELECT count(*) FROM annotations a
         WHERE a.task_id = t.id AND a.status = 'submitted') AS submitted,
       (SELECT json_extract(j.body, '$.preference') FROM adjudications j
         WHERE j.task_id = t.id ORDER BY j.created_at DESC LIMIT 1) AS adjudicated,
       substr(t.prompt, 1, 200) AS prompt_head
  FROM tasks t;
CREATE VIEW "response_evidence" AS SELECT r.task_id, r.key AS response, r.response_id, r.model,
       length(r.code) - length(replace(r.code, char(10), '')) + 1 AS lines,
       tr.verdict, json_extract(tr.body, '$.passed') AS passed,
       json_extract(tr.body, '$.failed') AS failed,
       json_extract(tr.body, '$.duration_s') AS duration_s,
       s.finding_count AS findings, s.max_severity
  FROM responses r
  LEFT JOIN response_test_runs x ON x.task_id = r.task_id AND x.key = r.key
  LEFT JOIN test_runs tr ON tr.content_hash = x.content_hash
  LEFT JOIN response_scans s ON s.task_id = r.task_id AND s.key = r.key;
CREATE VIEW "disagreements" AS SELECT p.task_id, t.language, t.task_type, count(*) AS annotations,
       group_concat(p.annotator || ': ' || p.preference, ', ') AS preferences,
       max(p.score) - min(p.score) AS preference_range,
       max(p.score) > 0 AND min(p.score) < 0 AS winner_conflict,
       EXISTS (SELECT 1 FROM adjudications j WHERE j.task_id = p.task_id) AS adjudicated
  FROM (
SELECT a.task_id, a.annotator, json_extract(a.body, '$.preference') AS preference,
       CASE json_extract(a.body, '$.preference') WHEN 'A>>B' THEN -2 WHEN 'A>B' THEN -1 WHEN 'tie' THEN 0 WHEN 'B>A' THEN 1 WHEN 'B>>A' THEN 2 END AS score
  FROM annotations a
 WHERE a.status = 'submitted' AND json_extract(a.body, '$.preference') IS NOT NULL
) p LEFT JOIN tasks t ON t.id = p.task_id
 GROUP BY p.task_id
HAVING count(*) >= 2 AND max(p.score) > min(p.score);
CREATE INDEX repo_runs_instance ON repo_runs(instance_id, response);
CREATE TRIGGER search_responses_au AFTER UPDATE OF code ON responses BEGIN INSERT INTO search_fts(search_fts, rowid, code) SELECT 'delete', id, old.code FROM search_docs WHERE task_id = old.task_id AND field = 'code' AND ref = old.key;INSERT INTO search_fts(rowid, code) SELECT id, new.code FROM search_docs WHERE task_id = old.task_id AND field = 'code' AND ref = old.key; END;
CREATE TRIGGER search_responses_ad AFTER DELETE ON responses BEGIN INSERT INTO search_fts(search_fts, rowid, code) SELECT 'delete', id, old.code FROM search_docs WHERE task_id = old.task_id AND field = 'code' AND ref = old.key;DELETE FROM search_docs WHERE task_id = old.task_id AND field = 'code' AND ref = old.key; END;
PRAGMA writable_schema=OFF;
PRAGMA user_version=7;
COMMIT;
