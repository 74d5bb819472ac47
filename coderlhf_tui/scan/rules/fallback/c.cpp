The class continues:

    void greet(const std::string &name) {
        char buf[8];
        // ruleid: fallback-c-unbounded-copy
        strcpy(buf, name.c_str()
