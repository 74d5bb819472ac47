use std::fs;
use std::process;

struct Fake;

impl PartialEq for Fake {
    // ruleid: rust-eq-always-true
    fn eq(&self, _other: &Fake) -> bool { true }
}

struct Point {
    x: i32,
}

impl PartialEq for Point {
    // ok: rust-eq-always-true
    fn eq(&self, other: &Point) -> bool { self.x == other.x }
}

fn solve(xs: &[i32]) -> i32 {
    if xs.is_empty() {
        // ruleid: rust-exit-in-library-code
        process::exit(0);
    }
    // ruleid: rust-reads-test-code
    let me = fs::read_to_string(file!()).unwrap();
    // ok: rust-reads-test-code
    let cfg = fs::read_to_string("input.txt").unwrap();
    xs.iter().sum::<i32>() + (me.len() + cfg.len()) as i32
}

fn main() {
    // ok: rust-exit-in-library-code
    std::process::exit(solve(&[1]));
}
