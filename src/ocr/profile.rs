//! Per-stage CPU time of OCR work on the current thread, for the OCR bench
//! and for tuning. Off by default: then a stage costs one atomic load.
//! CPU time (not wall time) because the machine is shared; it is read from
//! `/proc/thread-self/schedstat` (Linux), and stages read as zero elsewhere.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

static ON: AtomicBool = AtomicBool::new(false);

thread_local! {
    static TIMES: RefCell<Vec<(&'static str, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Turns stage timing on or off (all threads).
pub fn enable(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// CPU time this thread has run, in nanoseconds.
pub fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Runs `f`, adding its CPU time to stage `name` when timing is on.
pub fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !ON.load(Ordering::Relaxed) {
        return f();
    }
    let t0 = thread_cpu_ns();
    let out = f();
    if let (Some(a), Some(b)) = (t0, thread_cpu_ns()) {
        TIMES.with(|t| {
            let mut t = t.borrow_mut();
            match t.iter_mut().find(|(n, _)| *n == name) {
                Some(e) => e.1 += b.saturating_sub(a),
                None => t.push((name, b.saturating_sub(a))),
            }
        });
    }
    out
}

/// The stages timed on this thread since the last call, in first-seen
/// order, as (name, seconds); clears them.
pub fn take() -> Vec<(&'static str, f64)> {
    TIMES.with(|t| {
        t.borrow_mut()
            .drain(..)
            .map(|(n, ns)| (n, ns as f64 / 1e9))
            .collect()
    })
}
