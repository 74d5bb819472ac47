Here is the function (it got cut off):

void handle(char *name, char *msg) {
    char buf[16];
    /* ruleid: fallback-c-gets */
    gets(buf
    /* ok: fallback-c-gets */
    fgets(buf, sizeof buf, stdin
    /* ruleid: fallback-c-unbounded-copy */
    strcpy(buf, name
    /* ruleid: fallback-c-system */
    system(cmd
    /* ok: fallback-c-system */
    system("clear"
    /* ruleid: fallback-c-format-string */
    printf(msg)
    /* ok: fallback-c-format-string */
    printf("%s", msg)
    /* ruleid: fallback-c-weak-hash */
    MD5_Init(&ctx
    /* ruleid: fallback-c-rand */
    int n = rand() % 6
