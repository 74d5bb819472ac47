#include <cstdlib>

struct Fake {
    int v;
    // ruleid: cpp-eq-always-true
    bool operator==(const Fake &other) const { return true; }
};

struct Point {
    int x;
    // ok: cpp-eq-always-true
    bool operator==(const Point &other) const { return x == other.x; }
};

int solve(int n) {
    if (n < 0) {
        // ruleid: c-exit-in-library-code
        std::exit(0);
    }
    return n;
}
