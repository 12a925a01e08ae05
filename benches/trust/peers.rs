//! The peers on the same document: pandoc with xelatex, and weasyprint,
//! each turning policyc's own HTML page of the first staff agreement into
//! a PDF. A peer that is not installed is skipped with a note.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use policyc::model::project::Resolved;

use crate::stages::{median, Likeness};

/// Whether `program` is on the PATH.
fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// The median wall time of three runs of `program args`, in milliseconds,
/// or why it failed.
fn time(program: &str, args: &[&str]) -> Result<f64, String> {
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("exited with {status}"));
        }
        runs.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(median(runs))
}

/// Prints each peer's time for the first staff agreement's HTML (in
/// `out`), against policyc's first and later documents.
pub fn compare(resolved: &Resolved, out: &Path, likeness: &Likeness) {
    let Some((_, doc)) = resolved.documents().find(|(_, d)| d.audience_id == "staff") else {
        println!("peers:           skipped: no staff agreement");
        return;
    };
    let html = out.join(doc.key().output_path(policyc::model::key::OutputKind::Html));
    let html = html.to_string_lossy();
    let pdf = out.join("peer.pdf");
    let pdf = pdf.to_string_lossy();
    let peers: [(&str, &[&str], Vec<&str>); 2] = [
        (
            "pandoc + xelatex",
            &["pandoc", "xelatex"],
            vec!["-f", "html", &html, "-o", &pdf, "--pdf-engine=xelatex"],
        ),
        ("weasyprint", &["weasyprint"], vec![&html, &pdf]),
    ];
    for (name, needs, args) in peers {
        if let Some(missing) = needs.iter().find(|p| !installed(p)) {
            println!("peer {name:17} skipped: `{missing}` is not installed");
            continue;
        }
        match time(needs[0], &args) {
            Ok(ms) => println!(
                "peer {name:17} {ms:.0} ms for the same document: {:.0}x policyc's first, {:.0}x a later one",
                ms / likeness.first.total,
                ms / likeness.steady.total
            ),
            Err(e) => println!("peer {name:17} failed: {e}"),
        }
    }
}
