import java.nio.file.Files;
import java.nio.file.Path;

class Solution {
    static {
        // ruleid: java-exit-at-class-init
        System.exit(0);
    }

    public int solve(int[] xs) {
        if (xs.length == 0) {
            // ruleid: java-exit-in-library-code
            Runtime.getRuntime().halt(0);
        }
        // ruleid: java-exit-status-rewrite, java-exit-in-library-code
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(0)));
        // ok: java-exit-status-rewrite
        Thread worker = new Thread(() -> System.out.println(xs.length));
        return xs.length;
    }

    public String peek() throws Exception {
        // ruleid: java-reads-test-code
        return Files.readString(Path.of("SolutionTest.java"));
    }

    public String data() throws Exception {
        // ok: java-reads-test-code
        return Files.readString(Path.of("input.txt"));
    }

    public static void main(String[] args) {
        // ok: java-exit-in-library-code, java-exit-at-class-init
        System.exit(new Solution().solve(new int[] {1}));
    }
}

class Fake {
    // ruleid: java-equals-always-true
    public boolean equals(Object other) { return true; }
}

class Point {
    int x;

    // ok: java-equals-always-true
    public boolean equals(Object other) {
        if (!(other instanceof Point)) {
            return false;
        }
        return ((Point) other).x == x;
    }
}
