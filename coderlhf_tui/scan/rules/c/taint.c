#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {

    const char *target = argv[1];
    // ruleid: c-taint-command-from-input
    system(target);
    // ok: c-taint-command-from-input
    system("ls /tmp");
    return 0;
}

char *load_item(const char *dir, const char *name) {
    // ruleid: c-taint-path-from-input
    char *full = concat_path_file(dir, name);
    return full;
}

char *load_item_checked(const char *dir, const char *name) {
    if (!str_is_correct_filename(name))
        return NULL;
    // ok: c-taint-path-from-input
    char *full = concat_path_file(dir, name);
    return full;
}

void greet(char *out, int size, const char *name) {
    // ok: c-taint-path-from-input
    snprintf(out, size, "Hello, %s!", name);
}

void item_path(char *out, int size, const char *dir, const char *name) {
    // ruleid: c-taint-path-from-input
    snprintf(out, size, "%s/%s", dir, name);
}
