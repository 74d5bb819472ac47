use std::ptr;

fn fill(buf: &mut Vec<u8>, n: usize) {
    buf.reserve(n);
    // ruleid: rust-unsafe-block
    unsafe {
        // ruleid: rust-unchecked-memory-write
        buf.set_len(n);
    }
}

fn copy(src: &[u8], dst: &mut [u8]) {
    // ok: rust-unchecked-memory-write
    dst[..src.len()].copy_from_slice(src);
}

fn raw(dst: *mut u8, v: u8) {
    // ruleid: rust-unsafe-block, rust-unchecked-memory-write
    unsafe { ptr::write(dst, v) }
}

fn safe_sum(v: &[u32]) -> u32 {
    // ok: rust-unsafe-block
    v.iter().sum()
}
