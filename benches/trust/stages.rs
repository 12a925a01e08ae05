//! Where one document's time goes: typst's own timing scopes, summed per
//! stage, for the first document of a kind (typst's memo cache empty) and
//! for the near-identical documents that follow it (the cache warm).

use std::collections::HashMap;
use std::time::Instant;

use policyc::model::build::Standards;
use policyc::model::document::Document;
use policyc::model::project::Resolved;
use policyc::render::pdf::PdfEngine;
use typst::foundations::Datetime;
use typst_pdf::{PdfOptions, PdfStandards, Timestamp};

/// Milliseconds per stage for one document (or the mean of several).
#[derive(Debug, Default, Clone)]
pub struct Split {
    /// Evaluating the layout and `/data.json`.
    pub eval: f64,
    /// Each layout pass in turn ("Page X of Y" needs a second).
    pub passes: Vec<f64>,
    /// The whole of compilation (eval, layout and introspection).
    pub compile: f64,
    /// The whole PDF export.
    pub pdf: f64,
    /// Of the export: krilla's finish (font subsetting, compression,
    /// writing).
    pub finish: f64,
    /// Of the export: the tag tree for PDF/UA (tagged minus untagged).
    pub tagging: f64,
    /// Of the export: PDF/A and PDF/UA (ALL minus none, both tagged).
    pub standards: f64,
    /// The whole document, wall.
    pub total: f64,
}

/// Runs `f` with typst's timer on; returns milliseconds per scope name,
/// counting only the outermost scope of each name on each thread, and the
/// durations of every "layout document" scope in order.
fn timed(f: impl FnOnce()) -> (HashMap<&'static str, f64>, Vec<f64>) {
    typst_timing::clear();
    typst_timing::enable();
    f();
    typst_timing::disable();
    let mut buf = Vec::new();
    typst_timing::export_json(&mut buf, |_| (String::new(), 0)).expect("timings");
    let events: Vec<serde_json::Value> = serde_json::from_slice(&buf).expect("timing JSON");
    let names = ["compile", "eval", "layout document", "pdf", "finish export"];
    let mut stacks: HashMap<u64, Vec<(String, f64)>> = HashMap::new();
    let mut totals = HashMap::new();
    let mut passes = Vec::new();
    for e in events {
        let name = e["name"].as_str().unwrap_or_default().to_string();
        let ts = e["ts"].as_f64().unwrap_or_default();
        let stack = stacks.entry(e["tid"].as_u64().unwrap_or(0)).or_default();
        if e["ph"] == "B" {
            stack.push((name, ts));
            continue;
        }
        let Some((name, start)) = stack.pop() else {
            continue;
        };
        if stack.iter().any(|(n, _)| *n == name) {
            continue;
        }
        if let Some(known) = names.iter().find(|n| **n == name) {
            let ms = (ts - start) / 1000.0;
            *totals.entry(*known).or_insert(0.0) += ms;
            if *known == "layout document" {
                passes.push(ms);
            }
        }
    }
    (totals, passes)
}

/// The median of `xs` (which must not be empty).
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// One document's wall time, typst's timer off.
fn total(engine: &PdfEngine, template: &str, doc: &Document) -> f64 {
    let started = Instant::now();
    engine
        .render(
            template,
            doc,
            None,
            policyc::model::build::PdfSettings {
                standards: Standards::ALL,
                epoch: None,
            },
        )
        .expect("renders");
    started.elapsed().as_secs_f64() * 1000.0
}

/// The least of `xs` (which must not be empty): the run least disturbed
/// by other work on the machine.
fn least(xs: impl Iterator<Item = f64>) -> f64 {
    xs.fold(f64::INFINITY, f64::min)
}

/// One document's split, `template` compiled and exported by `engine`, with
/// typst's timer on (which slows it: `total` is left for [`total`]).
fn split(engine: &PdfEngine, template: &str, doc: &Document) -> Split {
    let mut compiled = None;
    let (t, passes) = timed(|| {
        let c = engine.compile(template, doc, None).expect("compiles");
        c.export(
            doc,
            policyc::model::build::PdfSettings {
                standards: Standards::ALL,
                epoch: None,
            },
        )
        .expect("exports");
        compiled = Some(c);
    });
    let compiled = compiled.expect("compiled");
    // Export is never memoised, so the same layout can be exported again
    // with tagging or the standards turned off.
    let export = |tagged: bool, standards: &[typst_pdf::PdfStandard]| {
        let date = Datetime::from_ymd_hms(2026, 9, 1, 0, 0, 0).map(Timestamp::new_utc);
        let options = PdfOptions {
            tagged,
            timestamp: date,
            standards: PdfStandards::new(standards).expect("standards"),
            ..PdfOptions::default()
        };
        least((0..7).map(|_| {
            let started = Instant::now();
            compiled.export_with(&options).expect("exports");
            started.elapsed().as_secs_f64() * 1000.0
        }))
    };
    let untagged = export(false, &[]);
    let tagged = export(true, &[]);
    let all = export(
        true,
        &[typst_pdf::PdfStandard::A_2b, typst_pdf::PdfStandard::Ua_1],
    );
    let get = |k: &str| t.get(k).copied().unwrap_or_default();
    Split {
        eval: get("eval"),
        passes,
        compile: get("compile"),
        pdf: get("pdf"),
        finish: get("finish export"),
        tagging: tagged - untagged,
        standards: all - tagged,
        total: 0.0,
    }
}

/// The first and the later documents of a group of near-identical staff
/// agreements: the same policy, audience and clauses, another school's
/// name (in the title and in the clauses that mention it) and document id.
pub struct Likeness {
    /// How many documents were rendered after the first.
    pub later: usize,
    /// Pages in the document.
    pub pages: usize,
    /// The first document, typst's memo cache empty (fonts already loaded);
    /// its total is the median of three such runs.
    pub first: Split,
    /// The median of the later documents, each after the one before.
    pub steady: Split,
}

/// The text of the layout every document is rendered with.
pub fn policy_layout(resolved: &Resolved) -> String {
    let layout = policyc::model::templates::Layout::Policy;
    resolved.project.templates.get(layout).text.clone()
}

/// Measures [`Likeness`] on one thread, with `memo_age` as the eviction
/// after each document (as `render_all` does).
pub fn likeness(resolved: &Resolved, memo_age: usize) -> Likeness {
    let engine = PdfEngine::new();
    let template = policy_layout(resolved);
    let docs: Vec<&Document> = resolved.documents().map(|(_, d)| d).collect();
    let shape = |d: &Document| {
        let ids: Vec<Vec<String>> = d
            .sections
            .iter()
            .map(|s| s.clauses.iter().map(|c| c.id.clone()).collect())
            .collect();
        (d.policy_id.clone(), d.audience_id.clone(), ids)
    };
    let staff = docs
        .iter()
        .find(|d| d.audience_id == "staff")
        .copied()
        .unwrap_or(docs[0]);
    let group: Vec<&Document> = docs
        .iter()
        .filter(|d| shape(d) == shape(staff))
        .copied()
        .take(21)
        .collect();
    // Load the fonts and warm everything outside the memo cache, then
    // empty the cache: the first document starts from nothing reused.
    let other = docs
        .iter()
        .find(|d| d.audience_id != staff.audience_id)
        .copied()
        .unwrap_or(staff);
    engine
        .render(
            &template,
            other,
            None,
            policyc::model::build::PdfSettings {
                standards: Standards::ALL,
                epoch: None,
            },
        )
        .expect("renders");
    comemo::evict(0);
    let pages = engine
        .compile(&template, group[0], None)
        .expect("compiles")
        .pages();
    // Once untimed, for the totals, and once more from an empty cache
    // with typst's timer on, for the stages.
    let first_total = median(
        (0..3)
            .map(|_| {
                comemo::evict(0);
                total(&engine, &template, group[0])
            })
            .collect(),
    );
    let mut later_totals = Vec::new();
    for doc in &group[1..] {
        comemo::evict(memo_age);
        later_totals.push(total(&engine, &template, doc));
    }
    comemo::evict(0);
    let mut first = split(&engine, &template, group[0]);
    first.total = first_total;
    let mut later = Vec::new();
    for doc in &group[1..] {
        comemo::evict(memo_age);
        later.push(split(&engine, &template, doc));
    }
    let med = |f: &dyn Fn(&Split) -> f64| median(later.iter().map(f).collect());
    let passes = (0..first.passes.len())
        .map(|i| med(&|s| s.passes.get(i).copied().unwrap_or_default()))
        .collect();
    let steady = Split {
        eval: med(&|s| s.eval),
        passes,
        compile: med(&|s| s.compile),
        pdf: med(&|s| s.pdf),
        finish: med(&|s| s.finish),
        tagging: med(&|s| s.tagging),
        standards: med(&|s| s.standards),
        total: median(later_totals),
    };
    comemo::evict(0);
    Likeness {
        later: later.len(),
        pages,
        first,
        steady,
    }
}

/// Prints the stage table for the first and the steady-state document.
pub fn print(l: &Likeness) {
    let (f, s) = (&l.first, &l.steady);
    println!(
        "first vs later:  staff agreement ({} pages): first {:.1} ms, later (median of {}) {:.1} ms: {:.2}x the first",
        l.pages,
        f.total,
        l.later,
        s.total,
        s.total / f.total
    );
    println!("  stage (typst's timer on, which slows it) first     later");
    let row = |name: &str, a: f64, b: f64| println!("  {name:38} {a:6.1} ms {b:6.1} ms");
    row(
        "compile (eval + layout + introspection)",
        f.compile,
        s.compile,
    );
    row("  eval (layout source and data)", f.eval, s.eval);
    for (i, (a, b)) in f.passes.iter().zip(&s.passes).enumerate() {
        row(&format!("  layout pass {}", i + 1), *a, *b);
    }
    row("PDF export", f.pdf, s.pdf);
    row(
        "  pages, text, links, outline",
        f.pdf - f.finish,
        s.pdf - s.finish,
    );
    row("  finish (font subsetting, writing)", f.finish, s.finish);
    row("  tagging for PDF/UA (timed apart)", f.tagging, s.tagging);
    row(
        "  PDF/A + PDF/UA rules (timed apart)",
        f.standards,
        s.standards,
    );
}
