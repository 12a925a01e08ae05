//! Running documents in parallel on plain threads, and the watchdog that
//! notices a layout that never finishes.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::build::{PdfSettings, PrivateFile};
use crate::model::templates::Template;
use crate::render::pdf::PdfEngine;
use serde::Serialize;

/// Stack size of a worker thread, the command's main thread included:
/// typst recurses deeply on long documents.
pub const WORKER_STACK: usize = 64 << 20;

/// Maps `f` over `items` on `threads` plain threads, keeping the order.
///
/// Documents are rendered on threads of their own rather than as rayon
/// tasks: typst parallelises its layout with rayon, and a rayon worker
/// waiting inside typst would otherwise steal and start another whole
/// document on the same stack. That nesting multiplied the memory in use
/// and overflowed stacks.
///
/// Every item gets its result, in order: a call that panics gives
/// `Err` with the panic's message for that item alone, and items that no
/// worker took (a thread that could not be started) run on the calling
/// thread. Nothing is ever dropped, so a result can never be matched to
/// the wrong item.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Result<R, String>> {
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, items.len().max(1));
    let run = |item: &T| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item)))
            .map_err(|payload| panic_message(payload.as_ref()))
    };
    let mut slots: Vec<Option<Result<R, String>>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, run(item)));
                        }
                        done
                    })
                    .ok()
            })
            .collect();
        for worker in workers {
            for (i, result) in worker.join().unwrap_or_default() {
                slots[i] = Some(result);
            }
        }
    });
    slots
        .into_iter()
        .zip(items)
        .map(|(slot, item)| slot.unwrap_or_else(|| run(item)))
        .collect()
}

/// Runs `f` over `items` on the pool under a watchdog: the one way every
/// typst compile runs (documents, booklets, personal copies, registers),
/// so a runaway layout is stopped wherever it is, and a panic is that
/// item's error.
pub fn render_watched<T: Sync, R: Send>(
    items: &[T],
    timeout: Diagnostic,
    on_timeout: OnTimeout,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Result<R, String>> {
    let watchdog = Watchdog::start(render_timeout(), timeout, on_timeout);
    let results = parallel_map(items, rayon::current_num_threads(), |item| {
        let result = f(item);
        watchdog.tick();
        result
    });
    watchdog.stop();
    results
}

/// A run of sheets for the private folder, each from its own data with
/// one layout: registers, consent lists.
pub struct SheetRun<'a> {
    /// The engine, with the project's fonts.
    pub engine: &'a PdfEngine,
    /// The layout.
    pub template: &'a Template,
    /// What goes before each sheet's path in its PDF identifier
    /// (`register`, `consent`).
    pub ident: &'a str,
    /// The layout's name in an error's hint ("the register layout").
    pub layout_name: &'a str,
    /// The day the sheets are dated.
    pub today: &'a str,
    /// How the PDFs are exported.
    pub pdf: PdfSettings,
}

impl SheetRun<'_> {
    /// Renders each `(path, data)` sheet under the watchdog, as a file for
    /// the private folder at `path`. A sheet that fails is an error in
    /// `diags`; with any error, nothing is returned.
    pub fn render<T: Sync, D: Serialize>(
        &self,
        sheets: &[T],
        part: impl Fn(&T) -> (&str, &D) + Sync,
        on_timeout: OnTimeout,
        diags: &mut Diagnostics,
    ) -> Vec<PrivateFile> {
        let timeout = timeout_diagnostic(&self.template.file);
        let rendered = render_watched(sheets, timeout, on_timeout, |sheet| {
            let (path, data) = part(sheet);
            let ident = format!("{}/{path}", self.ident);
            let text = &self.template.text;
            self.engine
                .render_data(text, data, &ident, self.today, self.pdf)
        });
        let mut files = Vec::new();
        for (sheet, result) in sheets.iter().zip(rendered) {
            let path = part(sheet).0;
            match result {
                Ok(Ok(pdf)) => files.push(PrivateFile::shareable(path.to_string(), pdf)),
                Ok(Err(err)) => diags.push(
                    Diagnostic::error(Code::PdfTemplate, &self.template.file, err.message)
                        .with_hint(format!(
                            "fix the {}, or delete the override to use the built-in one",
                            self.layout_name
                        )),
                ),
                Err(message) => diags.push(panicked(path, &message)),
            }
        }
        if diags.has_errors() {
            return Vec::new();
        }
        files
    }
}

/// What the watchdog reports when the layout `file` stops finishing
/// documents.
pub fn timeout_diagnostic(file: &str) -> Diagnostic {
    Diagnostic::error(
        Code::PdfTemplateTimeout,
        file,
        format!(
            "the PDF layout did not finish a document within {} seconds",
            render_timeout()
        ),
    )
    .with_hint(
        "look for a loop that never ends (such as `while true`) or runaway recursion in the layout",
    )
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".into())
}

/// The diagnostic for a document whose rendering panicked: a bug in
/// policyc or typst, reported against the document, never lost.
pub fn panicked(file: &str, message: &str) -> Diagnostic {
    Diagnostic::error(
        Code::RenderPanicked,
        file,
        format!("rendering this document stopped with an internal error: {message}"),
    )
    .with_hint("this is a bug in policyc: please report it with the document's files; no output was written for it")
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
                let now = epoch.elapsed().as_millis() as u64;
                let idle = now.saturating_sub(seen.load(Ordering::Relaxed));
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
            (0..100).map(|i| Ok(i * 2)).collect::<Vec<_>>()
        );
        assert!(parallel_map(&Vec::<usize>::new(), 4, |i| *i).is_empty());
    }

    #[test]
    fn a_panic_is_that_item_s_error_and_loses_nothing() {
        let items: Vec<usize> = (0..50).collect();
        let results = parallel_map(&items, 2, |&i| {
            if i == 7 || i == 31 {
                panic!("document {i} broke");
            }
            i
        });
        assert_eq!(results.len(), 50);
        for (i, result) in results.iter().enumerate() {
            match i {
                7 | 31 => assert_eq!(result, &Err(format!("document {i} broke"))),
                _ => assert_eq!(result, &Ok(i)),
            }
        }
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
            Diagnostic::error(Code::PdfTemplateTimeout, "x", "slow"),
            hook,
        );
        let code = rx.recv_timeout(Duration::from_secs(5));
        dog.stop();
        assert_eq!(code, Ok(Code::PdfTemplateTimeout));
    }
}
