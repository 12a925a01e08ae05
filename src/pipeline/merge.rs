//! `policyc merge`: the output folders of `build --shard K/N`, one per
//! shard, assembled into the output folder a single build would have
//! made. Every shard is checked first: all N present once, built from
//! this project as it is now with the same options, no school in two.
//! Their documents are then put in place with a manifest that lists them
//! all, and an ordinary build finishes the folder: it finds every document
//! up to date (their input hashes are the single build's), renders
//! nothing, and writes the trust index, the pack indexes, the manifest and
//! the cache exactly as one build would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::manifest::Manifest;
use crate::output::lock::OutputLock;
use crate::output::{self, guard, MANIFEST_FILE};
use crate::sealed::{Area, Cap, Folder};

use super::{
    build, document_options, load_checked, shard_fingerprint, BuildHooks, BuildOptions, Outcome,
};
use crate::model::shard::{ShardRecord, SHARD_FILE};

/// What `merge` is given.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The project the shards were built from.
    pub project: PathBuf,
    /// Each shard's output folder.
    pub shards: Vec<PathBuf>,
    /// The output folder to assemble.
    pub out: PathBuf,
}

/// One shard's output folder, read.
struct ShardOut {
    dir: PathBuf,
    folder: Folder,
    record: ShardRecord,
    manifest: Manifest,
}

/// Checks the shards and assembles them into `opts.out`. Problems with the
/// shards are diagnostics (nothing is written); a folder that cannot be
/// written is an error.
pub fn merge(opts: &MergeOptions, hooks: BuildHooks<'_>) -> Result<Outcome> {
    let mut diags = Diagnostics::default();
    let shards: Vec<ShardOut> = opts
        .shards
        .iter()
        .filter_map(|dir| read_shard(dir, &mut diags))
        .collect();
    if !diags.has_errors() {
        check_shards(opts, &shards, &mut diags);
    }
    if diags.has_errors() {
        return Ok(Outcome {
            diags,
            summary: None,
        });
    }
    let Some(first) = shards.first() else {
        return Ok(Outcome {
            diags,
            summary: None,
        });
    };
    let options = first.record.options;
    assemble(opts, &shards, &|pid| (hooks.waiting)(pid))?;
    let build_opts = BuildOptions {
        project: opts.project.clone(),
        out: opts.out.clone(),
        schools: Vec::new(),
        audiences: Vec::new(),
        pdf: options.pdf,
        html: options.html,
        standards: options.standards(),
        force: false,
        timestamp: options.timestamp,
        shard: None,
    };
    build(&build_opts, hooks)
}

/// A shard's record and manifest, or a `shard-unreadable` error.
fn read_shard(dir: &Path, diags: &mut Diagnostics) -> Option<ShardOut> {
    let shown = dir.display().to_string();
    let unreadable = |why: String| {
        Diagnostic::error(Code::ShardUnreadable, &shown, why).with_hint(
            "give merge the output folders of `policyc build --shard K/N`, one for each K",
        )
    };
    let folder = match Folder::open_root(dir, Area::Public) {
        Ok(folder) => folder,
        Err(e) => {
            diags.push(unreadable(format!("cannot open the folder: {e}")));
            return None;
        }
    };
    let record = folder
        .read(SHARD_FILE, Cap::Record)
        .map_err(|e| {
            format!("{SHARD_FILE} cannot be read ({e}): this is not the output of a sharded build")
        })
        .and_then(|bytes| {
            serde_json::from_slice::<ShardRecord>(&bytes)
                .map_err(|e| format!("{SHARD_FILE} is not a shard record: {e}"))
        });
    let record = match record {
        Ok(record) => record,
        Err(why) => {
            diags.push(unreadable(why));
            return None;
        }
    };
    let manifest = folder
        .read(MANIFEST_FILE, Cap::Record)
        .map_err(|e| e.to_string())
        .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
        .and_then(|text| Manifest::from_json(&text).map_err(|e| e.to_string()));
    match manifest {
        Ok(manifest) => Some(ShardOut {
            dir: dir.to_path_buf(),
            folder,
            record,
            manifest,
        }),
        Err(why) => {
            diags.push(unreadable(format!(
                "its {MANIFEST_FILE} cannot be read: {why}"
            )));
            None
        }
    }
}

/// Refuses shards that do not make one build: of different splits, a
/// shard missing or given twice, built from another state of the project
/// or with other options, or a school in two.
fn check_shards(opts: &MergeOptions, shards: &[ShardOut], diags: &mut Diagnostics) {
    let Some(first) = shards.first() else {
        return;
    };
    let count = first.record.of;
    let mut seen: BTreeMap<usize, &Path> = BTreeMap::new();
    for shard in shards {
        let shown = shard.dir.display().to_string();
        let record = &shard.record;
        if record.of != count {
            diags.push(shard_error(
                &shown,
                format!(
                    "it is shard {} of {}, but {} is of {count}",
                    record.shard,
                    record.of,
                    first.dir.display()
                ),
                "build every shard with the same N",
            ));
        } else if let Some(other) = seen.insert(record.shard, &shard.dir) {
            diags.push(shard_error(
                &shown,
                format!(
                    "shard {}/{count} is given twice, here and as {}",
                    record.shard,
                    other.display()
                ),
                "give each shard's folder once",
            ));
        }
        if record.fingerprint != first.record.fingerprint || record.options != first.record.options
        {
            diags.push(shard_error(&shown, format!("it was built from another state of the project, or with other options, than {}", first.dir.display()), "build every shard from the same commit with the same options, then merge"));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() && seen.len() == shards.len() {
        diags.push(shard_error(
            "SHARD_OUT",
            format!("shard {} is missing", missing.join(", ")),
            "give merge every shard's output folder",
        ));
    }
    let mut owner: BTreeMap<&str, &Path> = BTreeMap::new();
    for shard in shards {
        let schools: BTreeSet<&str> = shard
            .manifest
            .documents
            .iter()
            .map(|d| d.school.as_str())
            .collect();
        for school in schools {
            if let Some(other) = owner.insert(school, &shard.dir) {
                diags.push(shard_error(
                    &shard.dir.display().to_string(),
                    format!("school `{school}` is also in {}", other.display()),
                    "build each shard into an empty folder of its own",
                ));
            }
        }
    }
    if !diags.has_errors() {
        check_current(opts, &first.record, diags);
    }
}

/// Refuses shards built from another state of the project than the one
/// the merge finishes with.
fn check_current(opts: &MergeOptions, record: &ShardRecord, diags: &mut Diagnostics) {
    // A project with errors cannot finish the folder: say so before any
    // shard's file is put in place.
    let mut found = Diagnostics::default();
    let (project, _) = load_checked(&opts.project, &mut found);
    if found.has_errors() {
        diags.append(found);
        return;
    }
    let o = record.options;
    let options = document_options(&project, o.standards(), (o.pdf, o.html), o.timestamp, &[]);
    if shard_fingerprint(&project, &options) != record.fingerprint {
        diags.push(shard_error(
            &opts.project.display().to_string(),
            "the project has changed since the shards were built".to_string(),
            "build the shards again from the project as it is, then merge",
        ));
    }
}

/// A `shard-mismatch` error.
fn shard_error(file: &str, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(Code::ShardMismatch, file, message).with_hint(hint)
}

/// Puts every shard's documents and booklets in `out`, one file at a time,
/// with one manifest listing them all for the build that finishes the
/// folder. The folder's earlier records of documents no shard has (a school
/// since removed, say) stay in that manifest, so that the build withdraws
/// their files as one build would.
fn assemble(opts: &MergeOptions, shards: &[ShardOut], waiting: &dyn Fn(Option<u32>)) -> Result<()> {
    if let Ok(project) = Folder::open_root(&opts.project, Area::Project) {
        if let Some(problem) = guard::check_public(&project, &opts.out) {
            anyhow::bail!("{}: {}", opts.out.display(), problem.message(&opts.out));
        }
    }
    let lock = OutputLock::acquire(&opts.out, Area::Public, waiting)?;
    let out = lock.folder();
    let files = shards.iter().flat_map(|shard| {
        let documents = shard
            .manifest
            .documents
            .iter()
            .flat_map(|d| d.outputs.values());
        let booklets = shard.manifest.booklets.iter().map(|b| &b.output);
        documents.chain(booklets).map(move |o| {
            let bytes = shard.folder.read(&o.path, Cap::Output).map_err(|e| {
                anyhow::anyhow!("{}: cannot read {}: {e}", shard.dir.display(), o.path)
            })?;
            Ok((o.path.clone(), bytes))
        })
    });
    output::write_streamed(out, files)?;
    let mut merged = Manifest::default();
    for shard in shards {
        merged
            .documents
            .extend(shard.manifest.documents.iter().cloned());
        merged
            .booklets
            .extend(shard.manifest.booklets.iter().cloned());
    }
    let earlier = output::read_previous(out).manifest;
    let listed: BTreeSet<_> = merged.documents.iter().map(|d| d.key()).collect();
    let booklets: BTreeSet<_> = merged
        .booklets
        .iter()
        .map(|b| (b.school.clone(), b.policy.clone()))
        .collect();
    merged.documents.extend(
        earlier
            .documents
            .into_iter()
            .filter(|d| !listed.contains(&d.key())),
    );
    merged.booklets.extend(
        earlier
            .booklets
            .into_iter()
            .filter(|b| !booklets.contains(&(b.school.clone(), b.policy.clone()))),
    );
    merged.documents.sort_by_key(|d| d.key());
    merged
        .booklets
        .sort_by(|a, b| (&a.school, &a.policy).cmp(&(&b.school, &b.policy)));
    let json = merged.to_json();
    output::write_files(out, &[(MANIFEST_FILE.to_string(), json.as_bytes())], &[])?;
    Ok(())
}
