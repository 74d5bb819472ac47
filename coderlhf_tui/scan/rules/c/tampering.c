#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>

// ruleid: c-patches-assert
#define NDEBUG 1
// ok: c-patches-assert
#undef NDEBUG

static void rewrite(void) {
    // ruleid: c-exit-in-library-code
    _exit(0);
}

int solve(int n) {
    // ruleid: c-exit-status-rewrite
    atexit(rewrite);
    // ruleid: c-exit-status-rewrite
    signal(SIGABRT, (void (*)(int))rewrite);
    // ok: c-exit-status-rewrite
    signal(SIGINT, SIG_IGN);
    // ruleid: c-reads-test-code
    FILE *me = fopen(__FILE__, "r");
    // ok: c-reads-test-code
    FILE *data = fopen("input.txt", "r");
    if (me) fclose(me);
    if (data) fclose(data);
    return n * 2;
}

int main(void) {
    // ok: c-exit-in-library-code
    exit(solve(1) == 2 ? 0 : 1);
}
