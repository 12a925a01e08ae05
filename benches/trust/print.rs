//! The print benchmark: `cargo bench --bench trust -- print [PUPILS]`.
//!
//! Gives a synthetic trust of Wrenfold copies a roster of PUPILS Key Stage 2
//! pupils (default 2,000) in classes of 30, runs `policyc signoff print` with
//! the real binary, and prints the total time, the time per person and per
//! print file, for slips (the trust's choice for KS2) and then, on a tenth
//! of the pupils, for the whole document with the name filled in. Figures
//! are printed, never asserted.

use std::fs;
use std::path::Path;

use crate::{run, synthetic_trust, CPU};

/// Pupils per class, and classes per school.
const CLASS: usize = 30;
const CLASSES_PER_SCHOOL: usize = 7;

/// Writes a roster of `pupils` KS2 pupils spread over the trust's schools:
/// only the Wrenfold copies (every fourth school) have KS2, so the Nth
/// roster goes to school 4N.
fn rosters(root: &Path, pupils: usize) -> usize {
    let per_school = CLASS * CLASSES_PER_SCHOOL;
    let schools = pupils.div_ceil(per_school);
    for s in 0..schools {
        let mut csv = String::from("name,audience,class\n");
        for p in 0..per_school.min(pupils - s * per_school) {
            let class = format!("Year {} Class {}", 3 + p / CLASS % 4, p / CLASS + 1);
            csv.push_str(&format!("Pupil {p:03} Example-{s},ks2,{class}\n"));
        }
        let folder = root.join(format!("people/school-{:03}", s * 4));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("roster.csv"), csv).unwrap();
    }
    schools
}

/// Times one `signoff print` run and prints its figures.
fn measure(label: &str, root: &str, pupils: usize) -> f64 {
    let out = format!("{root}/private");
    let _ = fs::remove_dir_all(&out);
    let (wall, rss, _) = run(&["signoff", "print", "--project", root, "--out", &out]);
    let cpu = CPU.with(|c| c.get());
    let files = fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|s| s.path().join("print").is_dir())
        .flat_map(|s| fs::read_dir(s.path().join("print")).unwrap().flatten())
        .filter(|e| e.path().is_file())
        .count();
    println!(
        "{label}: {wall:.2} s wall ({cpu:.2} s CPU) for {pupils} people in {files} print files; {:.1} ms per person, {:.0} ms per print file; peak RSS {rss:.0} MB",
        wall * 1000.0 / pupils as f64,
        wall * 1000.0 / files as f64,
    );
    wall
}

/// Runs the print benchmark.
pub fn bench(pupils: usize) {
    let threads = rayon::current_num_threads();
    println!("policyc print benchmark: {pupils} KS2 pupils, {threads} threads");
    let per_school = CLASS * CLASSES_PER_SCHOOL;
    let project = synthetic_trust(pupils.div_ceil(per_school) * 4);
    let root = project.path();
    let schools = rosters(root, pupils);
    let root_str = root.to_str().unwrap();
    let wall = measure("slips          ", root_str, pupils);
    println!(
        "  target: {pupils} pupils' print files in at most 8 s wall on 2 cores: {}",
        if wall <= 8.0 { "met" } else { "NOT met" }
    );
    // The whole document, on a tenth of the pupils.
    let trust = root.join("schools/_trust.yaml");
    let text = fs::read_to_string(&trust).unwrap();
    fs::write(&trust, text.replace("  ks2: slip\n", "  ks2: document\n")).unwrap();
    let few = pupils / 10;
    for s in 0..schools {
        let path = root.join(format!("people/school-{:03}/roster.csv", s * 4));
        let text = fs::read_to_string(&path).unwrap();
        let keep = if s == 0 {
            few.min(text.lines().count() - 1)
        } else {
            0
        };
        let kept: Vec<&str> = text.lines().take(keep + 1).collect();
        if keep == 0 {
            fs::remove_dir_all(path.parent().unwrap()).unwrap();
        } else {
            fs::write(&path, kept.join("\n") + "\n").unwrap();
        }
    }
    measure("whole documents", root_str, few.min(per_school));
}
