#include <cstdlib>
#include <cstring>
#include <random>
#include <sqlite3.h>
#include <string>

int archive(const std::string &dir) {
    std::string cmd = "tar czf /tmp/out.tgz " + dir;
    // ruleid: cpp-command-from-string
    return std::system(cmd.c_str());
}

int remove_user(sqlite3 *db, const std::string &name) {
    std::string sql = "DELETE FROM users WHERE name = '" + name + "'";
    // ruleid: cpp-sql-from-string-concat
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

void copy(char *dst, const char *src) {
    // ruleid: cpp-std-dangerous-call
    std::strcpy(dst, src);
    // ok: cpp-std-dangerous-call
    std::string owned(src);
}

std::string make_token() {
    std::mt19937 gen(42);
    std::uniform_int_distribution<int> dist(0, 15);
    std::string token;
    for (int i = 0; i < 32; i++) {
        // ruleid: cpp-weak-engine-for-secret
        token += "0123456789abcdef"[dist(gen)];
    }
    return token;
}

int list_dir() {
    // ok: cpp-command-from-string
    return std::system("ls -l /srv");
}

int remove_user_safe(sqlite3 *db, const std::string &name) {
    sqlite3_stmt *st = nullptr;
    std::string sql = "DELETE FROM users WHERE name = ?";
    // ok: cpp-sql-from-string-concat
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    return sqlite3_step(st);
}

std::vector<int> dice(int n) {
    std::mt19937 gen(42);
    std::uniform_int_distribution<int> dist(1, 6);
    std::vector<int> rolls;
    for (int i = 0; i < n; i++) {
        // ok: cpp-weak-engine-for-secret
        rolls.push_back(dist(gen));
    }
    return rolls;
}
