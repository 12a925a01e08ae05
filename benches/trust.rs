//! Trust-scale benchmark: `cargo bench --bench trust [-- N]`.
//!
//! Generates a synthetic trust of N schools (default 100) from the bundled
//! example, builds it with the real binary, and prints wall time, documents
//! per second, milliseconds per document, peak RSS and the no-op rebuild
//! time. It then measures the floor without reuse, compiling and exporting
//! the same documents' typst input with the same `World`, each document
//! alone (typst's memo cache emptied after each), in this process and on
//! the same number of threads, and prints policyc's cost as a ratio of it.
//! It prints the first staff agreement against the near-identical ones that
//! follow it, stage by stage, and the peers (pandoc with xelatex,
//! weasyprint) on the same document when they are installed. Finally it
//! compares the per-document cost at N = 10 and N = 400, and prints the
//! targets. Figures are printed, never asserted: machines are noisy.
//!
//! `cargo bench --bench trust -- print [PUPILS]` instead times personal
//! copies and print files for a trust's KS2 pupils (see `trust/print.rs`),
//! and `cargo bench --bench trust -- shards [N] [K]` a build of N schools
//! in K shards and their merge against one build (see `trust/shards.rs`).

use std::fs;

#[path = "trust/peers.rs"]
mod peers;
#[path = "trust/print.rs"]
mod print;
#[path = "trust/shards.rs"]
mod shards;
#[path = "trust/stages.rs"]
mod stages;
#[path = "../tests/it/support.rs"]
mod support;
use std::process::Command;
use std::time::Instant;

use policyc::diag::Diagnostics;
use policyc::model::build::Standards;
use policyc::model::project::Resolved;
use policyc::pipeline::prepare;
use policyc::render::pdf::PdfEngine;
use policyc::render::pool::parallel_map;
use policyc::render::pool::WORKER_STACK;
use support::{copy_dir, repo};

/// A project of `n` schools, each a renamed copy of one of the examples.
fn synthetic_trust(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["policies", "clauses"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    for file in ["modules.yaml", "policyc.yaml"] {
        fs::copy(repo().join(file), dir.path().join(file)).unwrap();
    }
    let schools = dir.path().join("schools");
    fs::create_dir_all(&schools).unwrap();
    fs::copy(
        repo().join("schools/_trust.yaml"),
        schools.join("_trust.yaml"),
    )
    .unwrap();
    let examples = ["wrenfold", "copperbeck", "oakhollow", "ravensmoor"];
    for i in 0..n {
        let base = examples[i % examples.len()];
        let id = format!("school-{i:03}");
        let text = fs::read_to_string(repo().join(format!("schools/{base}.yaml"))).unwrap();
        let text = text
            .replace(&format!("{base}/"), &format!("{id}/"))
            .replacen("\nname: ", &format!("\nname: School {i} "), 1);
        fs::write(schools.join(format!("{id}.yaml")), text).unwrap();
        let folder = repo().join(format!("schools/{base}"));
        if folder.is_dir() {
            copy_dir(&folder, &schools.join(&id));
        }
    }
    dir
}

/// Runs the binary, returning (wall seconds, peak RSS in MiB, stdout), and
/// the CPU seconds (user + system) in [`CPU`].
/// The child is reaped with `wait4`, which also reports its peak RSS.
#[cfg(unix)]
#[allow(clippy::zombie_processes)]
fn run(args: &[&str]) -> (f64, f64, String) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.unwrap(), &mut stdout).unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed().as_secs_f64();
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
    CPU.with(|c| c.set(cpu));
    (wall, usage.ru_maxrss as f64 / 1024.0, stdout)
}

/// Without wait4, only wall time and output are measured.
#[cfg(not(unix))]
fn run(args: &[&str]) -> (f64, f64, String) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(args)
        .output()
        .unwrap();
    let wall = started.elapsed().as_secs_f64();
    CPU.with(|c| c.set(0.0));
    (
        wall,
        0.0,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

thread_local! {
    /// The CPU time of the last child run: less sensitive than wall time
    /// to other work on a busy machine.
    static CPU: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

struct Figures {
    documents: usize,
    wall: f64,
    cpu: f64,
    rss: f64,
    noop: f64,
}

fn measure(n: usize) -> (Figures, tempfile::TempDir) {
    let project = synthetic_trust(n);
    let root = project.path().to_str().unwrap().to_string();
    let out = format!("{root}/out");
    let (wall, rss, stdout) = run(&[
        "build",
        "--project",
        &root,
        "--out",
        &out,
        "--format",
        "pdf,html,json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    let documents = report["documents"].as_u64().unwrap_or(0) as usize;
    let cpu = CPU.with(|c| c.get());
    assert_eq!(
        report["ok"], true,
        "the synthetic trust must build: {stdout}"
    );
    let (noop, _, _) = run(&["build", "--project", &root, "--out", &out, "--quiet"]);
    (
        Figures {
            documents,
            wall,
            cpu,
            rss,
            noop,
        },
        project,
    )
}

/// The floor without reuse: only typst compile + PDF export of the same
/// documents, with the same engine, on the same threads, in school order,
/// each document alone (the memo cache emptied after each).
/// Returns (documents, wall seconds, CPU seconds of this process).
fn floor(resolved: &Resolved) -> (usize, f64, f64) {
    let engine = PdfEngine::new();
    let template = stages::policy_layout(resolved);
    let jobs: Vec<_> = resolved
        .schools
        .iter()
        .flat_map(|s| s.documents.iter().map(move |d| (s, d)))
        .collect();
    let cpu_before = own_cpu();
    let started = Instant::now();
    parallel_map(&jobs, rayon::current_num_threads(), |(school, doc)| {
        let logo = school.logo.as_ref().map(|l| (l.format, l.bytes.as_slice()));
        engine
            .render(
                &template,
                doc,
                logo,
                policyc::model::build::PdfSettings {
                    standards: Standards::ALL,
                    epoch: None,
                },
            )
            .expect("renders");
        comemo::evict(0);
    });
    let wall = started.elapsed().as_secs_f64();
    (jobs.len(), wall, own_cpu() - cpu_before)
}

/// CPU seconds (user + system) this process has used so far.
#[cfg(unix)]
fn own_cpu() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// CPU time is read with getrusage, which only Unix has.
#[cfg(not(unix))]
fn own_cpu() -> f64 {
    0.0
}

fn main() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build_global();
    let n: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    if std::env::args().any(|a| a == "print") {
        print::bench(n.unwrap_or(2000));
        return;
    }
    if std::env::args().any(|a| a == "shards") {
        let numbers: Vec<usize> = std::env::args()
            .skip(1)
            .filter_map(|a| a.parse().ok())
            .collect();
        shards::bench(n.unwrap_or(400), numbers.get(1).copied().unwrap_or(4));
        return;
    }
    let n = n.unwrap_or(100);
    let threads = rayon::current_num_threads();
    println!(
        "policyc trust benchmark: {n} schools, {threads} threads, {}",
        std::env::consts::ARCH
    );
    let (main, project) = measure(n);
    let per_doc = main.wall * 1000.0 / main.documents as f64;
    println!(
        "full build:      {:.2} s wall ({:.2} s CPU) for {} documents (PDF + HTML)",
        main.wall, main.cpu, main.documents
    );
    println!(
        "throughput:      {:.0} documents/s, {:.1} ms per document",
        main.documents as f64 / main.wall,
        per_doc
    );
    println!("peak RSS:        {:.0} MB", main.rss);
    println!("no-op rebuild:   {:.3} s", main.noop);
    let resolved = prepare(project.path(), &[], &[], &mut Diagnostics::default());
    let resolved = resolved.expect("resolves");
    let (docs, floor_wall, floor_cpu) = floor(&resolved);
    let floor_per_doc = floor_wall * 1000.0 / docs as f64;
    println!(
        "floor, no reuse: {:.2} s wall ({:.2} s CPU) for {docs} PDFs (typst compile + export, each document alone), {:.1} ms per PDF",
        floor_wall, floor_cpu, floor_per_doc
    );
    println!(
        "policyc / floor: {:.2}x per document by wall time, {:.2}x by CPU time (steadier on a busy machine)",
        per_doc / floor_per_doc,
        (main.cpu / main.documents as f64) / (floor_cpu / docs as f64)
    );
    let likeness = stages::likeness(&resolved, 10);
    stages::print(&likeness);
    peers::compare(&resolved, &project.path().join("out"), &likeness);
    let (small, _) = measure(10);
    let (large, _) = measure(400);
    let small_per = small.wall * 1000.0 / small.documents as f64;
    let large_per = large.wall * 1000.0 / large.documents as f64;
    println!("scaling:         {:.1} ms per document at N=10 ({} docs), {:.1} ms at N=400 ({} docs): {:+.0}%", small_per, small.documents, large_per, large.documents, (large_per / small_per - 1.0) * 100.0);
    println!("peak RSS at N=400: {:.0} MB", large.rss);
    println!("targets (2-core machine):");
    let target = |name: &str, value: String, met: bool| {
        println!(
            "  {name:44} {value:>10}  {}",
            if met { "met" } else { "NOT met" }
        );
    };
    if n == 100 {
        target(
            "100-school build under 5 s wall",
            format!("{:.2} s", main.wall),
            main.wall < 5.0,
        );
        target(
            "peak RSS at 100 schools under 400 MB",
            format!("{:.0} MB", main.rss),
            main.rss < 400.0,
        );
    }
    let ratio = likeness.steady.total / likeness.first.total;
    target(
        "later document at most 1/3 of the first",
        format!("{ratio:.2}x"),
        ratio <= 1.0 / 3.0,
    );
    target(
        "peak RSS at 400 schools under 1 GB",
        format!("{:.0} MB", large.rss),
        large.rss < 1024.0,
    );
    target(
        "no-op rebuild under 0.2 s",
        format!("{:.3} s", main.noop),
        main.noop < 0.2,
    );
}
