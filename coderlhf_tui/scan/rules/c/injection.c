#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

int archive(const char *dir) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "tar czf /tmp/out.tgz %s", dir);
    // ruleid: c-system-non-literal
    return system(cmd);
}

int uptime(void) {
    // ok: c-system-non-literal
    return system("uptime");
}

int delete_user(sqlite3 *db, const char *name) {
    char sql[256];
    sprintf(sql, "DELETE FROM users WHERE name = '%s'", name);
    // ruleid: c-sqlite-query-from-format
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int delete_user_safe(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    // ok: c-sqlite-query-from-format
    sqlite3_prepare_v2(db, "DELETE FROM users WHERE name = ?", -1, &st, NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc;
}
