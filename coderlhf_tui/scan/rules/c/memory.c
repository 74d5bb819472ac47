#include <stdio.h>
#include <string.h>
#include <syslog.h>

void greet(const char *name, const char *msg) {
    char buf[16];
    char line[64];
    char word[32];
    // ruleid: c-unbounded-string-copy
    strcpy(buf, name);
    // ruleid: c-unbounded-string-copy
    strcat(buf, "!");
    // ok: c-unbounded-string-copy
    snprintf(buf, sizeof buf, "%s", name);
    // ruleid: c-sprintf-unbounded
    sprintf(line, "hello %s", name);
    // ruleid: c-scanf-unbounded-string
    scanf("%s", word);
    // ok: c-scanf-unbounded-string
    scanf("%31s", word);
    // ruleid: c-gets
    gets(line);
    // ok: c-gets
    fgets(line, sizeof line, stdin);
    // ruleid: c-format-string-non-literal
    printf(msg);
    // ok: c-format-string-non-literal
    printf("%s", msg);
    // ruleid: c-format-string-non-literal
    syslog(LOG_INFO, msg);
}

int count_words(char *text) {
    int n = 0;
    // ruleid: c-potentially-dangerous-function
    for (char *t = strtok(text, " "); t; t = strtok(NULL, " ")) {
        n++;
    }
    return n;
}

void terminate(void) {
    char name[8];
    // ruleid: c-write-at-array-size
    name[8] = '\0';
    // ok: c-write-at-array-size
    name[7] = '\0';
    int squares[10];
    // ruleid: c-write-at-array-size
    for (int i = 0; i <= 10; i++) { squares[i] = i * i; }
}

void bounded(char *out, size_t n, const char *name, char *text) {
    // ok: c-sprintf-unbounded
    snprintf(out, n, "hello %s", name);
    char *save = NULL;
    // ok: c-potentially-dangerous-function
    for (char *t = strtok_r(text, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        (void)t;
    }
}
