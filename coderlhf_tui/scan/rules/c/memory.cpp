#include <cstdio>
#include <cstring>
#include <string>

void copy_name(const std::string &name) {
    char buf[32];
    // ruleid: c-unbounded-string-copy
    strcpy(buf, name.c_str());
    // ok: c-unbounded-string-copy
    std::snprintf(buf, sizeof(buf), "%s", name.c_str());
    char out[64];
    // ruleid: c-sprintf-unbounded
    sprintf(out, "<%s>", buf);
    // ruleid: c-format-string-non-literal
    printf(name.c_str());
}
