//! The sharding benchmark: `cargo bench --bench trust -- shards [N] [K]`.
//!
//! Builds a synthetic trust of N schools (default 400) once whole, then as
//! K shards (default 4), each `build --shard k/K` run one after another as
//! K CI jobs would run side by side, and then `merge`. Prints the single
//! build, each shard, the slowest shard plus the merge (the sharded build's
//! wall time on K machines), the ratio of the two, and whether the merged
//! folder is byte-identical to the single build's. Figures are printed,
//! never asserted.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::files_under;
use crate::{run, synthetic_trust, CPU};

/// Every file under `dir` but policyc's dot files, with its bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = files_under(dir)
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Runs the benchmark for `n` schools in `k` shards.
pub fn bench(n: usize, k: usize) {
    let project = synthetic_trust(n);
    let root = project.path().to_str().unwrap().to_string();
    println!(
        "policyc shard benchmark: {n} schools, {k} shards, {} threads per job",
        rayon::current_num_threads()
    );
    let single_out = format!("{root}/single");
    let (single, _, summary) = run(&["build", "--project", &root, "--out", &single_out, "--quiet"]);
    let single_cpu = CPU.with(|c| c.get());
    println!(
        "single build:    {single:.2} s wall ({single_cpu:.2} s CPU): {}",
        summary.trim()
    );
    let mut shard_walls = Vec::new();
    let mut shard_outs = Vec::new();
    for index in 1..=k {
        let out = format!("{root}/shard-{index}");
        let shard = format!("{index}/{k}");
        let (wall, _, summary) = run(&[
            "build",
            "--project",
            &root,
            "--out",
            &out,
            "--shard",
            &shard,
            "--quiet",
        ]);
        let cpu = CPU.with(|c| c.get());
        println!(
            "shard {shard}:       {wall:.2} s wall ({cpu:.2} s CPU): {}",
            summary.trim()
        );
        shard_walls.push(wall);
        shard_outs.push(out);
    }
    let merged_out = format!("{root}/merged");
    let mut args = vec!["merge", "--project", &root, "--out", &merged_out, "--quiet"];
    args.extend(shard_outs.iter().map(String::as_str));
    let (merge, _, summary) = run(&args);
    println!("merge:           {merge:.2} s wall: {}", summary.trim());
    let slowest = shard_walls.iter().cloned().fold(0.0, f64::max);
    let sharded = slowest + merge;
    println!(
        "on {k} machines: {sharded:.2} s (slowest shard {slowest:.2} s + merge {merge:.2} s) against {single:.2} s on one: {:.2}x faster; {:.2} s of shard work in all",
        single / sharded,
        shard_walls.iter().sum::<f64>()
    );
    let same = contents(Path::new(&single_out)) == contents(Path::new(&merged_out));
    println!(
        "merged output byte-identical to the single build: {}",
        if same { "yes" } else { "NO" }
    );
}
