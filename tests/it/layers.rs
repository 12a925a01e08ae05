//! The layered layout of `src/` holds: imports only go down the floors
//! (commands → pipeline → stages → model → diagnostics), and no files
//! import each other in a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::support::repo;

/// Module path (`render::html`) → source, without test modules.
fn modules() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(&repo().join("src"), &mut out);
    out
}

fn walk(dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(repo().join("src")).unwrap();
            let rel = rel.to_string_lossy().trim_end_matches(".rs").to_string();
            let name = rel.trim_end_matches("/mod").replace('/', "::");
            let name = if name == "lib" || name == "main" {
                String::new()
            } else {
                name
            };
            let text = fs::read_to_string(&path).unwrap();
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or("")
                .split("#[cfg(all(test, unix))]\nmod tests")
                .next()
                .unwrap_or("")
                .to_string();
            out.insert(name, code);
        }
    }
}

/// The longest known module that `path` (a `crate::` path) lies in.
fn owner(path: &str, known: &BTreeMap<String, String>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    while !parts.is_empty() {
        let candidate = parts.join("::");
        if known.contains_key(&candidate) {
            return Some(candidate);
        }
        parts.pop();
    }
    None
}

/// Each module's imports of other modules of this crate.
fn imports(known: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    for (name, code) in known {
        let mut deps = BTreeSet::new();
        for piece in code.split("crate::").skip(1) {
            let path: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let path = path.trim_end_matches(':');
            let rest = &piece[path.len()..];
            // `crate::{a, b::c}`: each item is a path from the crate root.
            if path.is_empty() {
                if let Some(list) = piece.strip_prefix('{') {
                    for item in list.split('}').next().unwrap_or("").split(',') {
                        let item = item.trim().split("::{").next().unwrap_or("");
                        let item: String = item
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                            .collect();
                        if let Some(m) = owner(item.trim_end_matches(':'), known) {
                            deps.insert(m);
                        }
                    }
                }
                continue;
            }
            // `crate::a::{b, c::d}`: each item may be a module of its own.
            if let Some(list) = rest.strip_prefix("::{") {
                for item in list.split('}').next().unwrap_or("").split(',') {
                    let item = item.split_whitespace().next().unwrap_or("");
                    let item = item.split("::{").next().unwrap_or(item);
                    if let Some(m) = owner(&format!("{path}::{item}"), known) {
                        deps.insert(m);
                    }
                }
            } else if let Some(m) = owner(path, known) {
                deps.insert(m);
            }
        }
        deps.remove(name);
        edges.insert(name.clone(), deps);
    }
    edges
}

/// The floor of a module, top first: commands, the pipeline, sign-off
/// (which uses the stages to read, report and print), then each
/// stage on a floor of its own (a stage may use the stages below it: render
/// lays out what report and resolve made, report reads resolved documents,
/// and nothing below reaches up), then the model, diagnostics and the
/// sealed file access.
fn floor(module: &str) -> usize {
    match module.split("::").next().unwrap_or("") {
        "" | "cli" | "cmd" => 0,
        "pipeline" => 1,
        "signoff" => 2,
        "output" => 3,
        "render" => 4,
        "report" => 5,
        "check" => 6,
        "resolve" => 7,
        "load" => 8,
        "model" => 9,
        "diag" => 10,
        "sealed" => 11,
        other => {
            panic!(
                "src/{other} is on no floor: add it to tests/it/layers.rs and docs/ARCHITECTURE.md"
            )
        }
    }
}

#[test]
fn the_floors_see_every_form_of_import() {
    let known: BTreeMap<String, String> = [
        ("a", "use crate::{b, c::d};\nuse crate::e::{f, g::h};"),
        ("b", ""),
        ("c", ""),
        ("c::d", ""),
        ("e", ""),
        ("e::f", ""),
        ("e::g", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let edges = imports(&known);
    let seen: Vec<&str> = edges["a"].iter().map(String::as_str).collect();
    assert_eq!(seen, ["b", "c::d", "e::f", "e::g"]);
}

#[test]
fn imports_only_go_down() {
    let known = modules();
    let upward: Vec<String> = imports(&known)
        .iter()
        .flat_map(|(from, deps)| deps.iter().map(move |to| (from, to)))
        .filter(|(from, to)| floor(to) < floor(from))
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    assert!(upward.is_empty(), "imports that go up a floor: {upward:#?}");
}

#[test]
fn no_module_imports_itself_through_others() {
    let edges = imports(&modules());
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|n| *n == node).unwrap_or(0);
                return Some(path[start..].iter().map(|s| s.to_string()).collect());
            }
            None => {}
        }
        state.insert(node, false);
        path.push(node);
        for next in &edges[node] {
            if let Some(cycle) = visit(next, edges, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        let cycle = visit(node, &edges, &mut state, &mut Vec::new());
        assert!(cycle.is_none(), "an import cycle: {cycle:?}");
    }
}

/// Only `src/sealed/` opens a path: every other module reads and writes
/// beneath the directory handles it hands out.
#[test]
fn nothing_but_sealed_touches_the_file_system() {
    let forbidden = [
        "std::fs",
        "fs::",
        "File::open",
        "File::create",
        "OpenOptions",
        "read_dir",
        "canonicalize",
        "symlink_metadata",
        ".exists()",
        ".is_dir()",
        ".is_file()",
        "temp_dir",
    ];
    let mut found = Vec::new();
    for (module, code) in modules() {
        if module == "sealed" || module.starts_with("sealed::") {
            continue;
        }
        for (at, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            if let Some(word) = forbidden.iter().find(|w| line.contains(**w)) {
                found.push(format!("src/{module} line {}: `{word}`", at + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "file access outside src/sealed: {found:#?}"
    );
}

/// One diagnostic convention (see `src/diag/mod.rs`): a function that
/// finds problems pushes them into the run's `Diagnostics`; none hands back
/// a list of them for its caller to remember to push.
#[test]
fn no_function_returns_a_list_of_problems() {
    let lists: Vec<String> = modules()
        .iter()
        .filter(|(name, _)| !name.starts_with("diag"))
        .flat_map(|(name, code)| {
            code.lines()
                .filter(|line| {
                    line.contains("Vec<Diagnostic>") && !line.trim_start().starts_with("//")
                })
                .map(move |line| format!("{name}: {}", line.trim()))
        })
        .collect();
    assert!(
        lists.is_empty(),
        "take `diags: &mut Diagnostics` and push instead: {lists:#?}"
    );
}
