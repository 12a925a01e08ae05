//! Running documents in parallel on plain threads, and the watchdog that
//! notices a layout that never finishes.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::model::build::WORKER_STACK;

/// Maps `f` over `items` on `threads` plain threads, keeping the order.
///
/// Documents are rendered on threads of their own rather than as rayon
/// tasks: typst parallelises its layout with rayon, and a rayon worker
/// waiting inside typst would otherwise steal and start another whole
/// document on the same stack. That nesting multiplied the memory in use
/// and overflowed stacks.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, items.len().max(1));
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, f(item)));
                        }
                        done
                    })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(Result::ok)
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// What to do when a layout runs away: typst cannot be interrupted, so the
/// caller (which owns the process) reports the diagnostic, cleans up and
/// ends the process. The render stage itself never exits.
pub type OnTimeout = Arc<dyn Fn(&Diagnostic) + Send + Sync>;

/// Notices a runaway layout. typst has no time limit of its own, so a
/// project's layout with an endless loop would hang the build: if no
/// document finishes within the limit, the watchdog hands the diagnostic
/// to the caller's [`OnTimeout`].
pub struct Watchdog {
    last: Arc<AtomicU64>,
    finished: Arc<AtomicBool>,
    epoch: Instant,
}

/// Seconds a single document may take: `POLICYC_RENDER_TIMEOUT`, else 60.
pub fn render_timeout() -> u64 {
    std::env::var("POLICYC_RENDER_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

impl Watchdog {
    /// Starts watching; `diagnostic` is what a timeout reports.
    pub fn start(limit_secs: u64, diagnostic: Diagnostic, on_timeout: OnTimeout) -> Self {
        let epoch = Instant::now();
        let last = Arc::new(AtomicU64::new(0));
        let finished = Arc::new(AtomicBool::new(false));
        let (seen, stop) = (Arc::clone(&last), Arc::clone(&finished));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                let idle = epoch.elapsed().as_millis() as u64 - seen.load(Ordering::Relaxed);
                if idle > limit_secs * 1000 && !stop.load(Ordering::Relaxed) {
                    on_timeout(&diagnostic);
                    return;
                }
            }
        });
        Self {
            last,
            finished,
            epoch,
        }
    }

    /// Records that a document finished.
    pub fn tick(&self) {
        self.last
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Stops watching.
    pub fn stop(&self) {
        self.finished.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_the_order() {
        let items: Vec<usize> = (0..100).collect();
        assert_eq!(
            parallel_map(&items, 3, |i| i * 2),
            (0..100).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert!(parallel_map(&Vec::<usize>::new(), 4, |i| *i).is_empty());
    }

    #[test]
    fn the_watchdog_reports_a_stall_to_its_caller() {
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let hook: OnTimeout = Arc::new(move |d: &Diagnostic| {
            let _ = tx.lock().map(|t| t.send(d.code));
        });
        let dog = Watchdog::start(
            0,
            Diagnostic::error("pdf-template-timeout", "x", "slow"),
            hook,
        );
        let code = rx.recv_timeout(Duration::from_secs(5));
        dog.stop();
        assert_eq!(code, Ok("pdf-template-timeout"));
    }
}
