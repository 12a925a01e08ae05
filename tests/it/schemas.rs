//! The JSON that `check`, `build`, `changes` and the manifest print keeps to
//! the JSON Schema files in docs/schemas/, which CI scripts can rely on. The
//! validator here covers the part of JSON Schema those files use: `type`
//! (one or a list), `enum`, `required`, `properties`,
//! `additionalProperties: false`, `items`, `minimum`, `pattern` (anchored
//! character classes only) and local `$ref`s to `#/$defs/…`.

use std::fs;

use crate::support::*;
use serde_json::Value;

fn schema(name: &str) -> Value {
    let text = fs::read_to_string(repo().join("docs/schemas").join(name)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// Every way `value` breaks `schema`, as `path: problem` lines.
fn validate(value: &Value, schema: &Value, root: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/$defs/")
            .expect("only local $defs");
        return validate(value, &root["$defs"][name], root, path, errors);
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits =
            allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !fits {
            errors.push(format!("{path}: is {actual}, not {allowed:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n < min {
            errors.push(format!("{path}: {n} is below {min}"));
        }
    }
    if let (Some(pattern), Some(text)) = (
        schema.get("pattern").and_then(Value::as_str),
        value.as_str(),
    ) {
        if !matches_pattern(pattern, text) {
            errors.push(format!("{path}: `{text}` does not match {pattern}"));
        }
    }
    if let Value::Object(map) = value {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = key.as_str().unwrap_or_default();
            if !map.contains_key(key) {
                errors.push(format!("{path}: lacks `{key}`"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, item) in map {
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => validate(item, sub, root, &format!("{path}.{key}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => errors
                    .push(format!(
                        "{path}: has `{key}`, which the schema does not allow"
                    )),
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(item, item_schema, root, &format!("{path}[{i}]"), errors);
        }
    }
}

/// The patterns the schemas use: `^[classes]{n}(-[classes]{n})?$` and the like.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    match pattern {
        "^[0-9a-f]{64}$" => {
            text.len() == 64
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        }
        "^[0-9A-F]{4}-[0-9A-F]{4}$" => {
            let hex = |s: &str| {
                s.len() == 4
                    && s.chars()
                        .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
            };
            matches!(text.split_once('-'), Some((a, b)) if hex(a) && hex(b))
        }
        other => panic!("the test validator does not know the pattern {other}"),
    }
}

fn assert_valid(value: &Value, name: &str) {
    let schema = schema(name);
    let mut errors = Vec::new();
    validate(value, &schema, &schema, "$", &mut errors);
    assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
}

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", texts(output).0))
}

#[test]
fn build_check_changes_and_manifest_match_their_schemas() {
    let project = fixture("example");
    let build = run_in(project.path(), &["build", "--format", "pdf,html,json"]);
    assert_valid(&json_of(&build), "build.schema.json");
    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(project.path().join("out/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_valid(&manifest, "manifest.schema.json");
    assert_valid(
        &json_of(&run_in(project.path(), &["check", "--format", "json"])),
        "check.schema.json",
    );
    // A change of every kind: a reworded clause, a new and a withdrawn document.
    let clause = project
        .path()
        .join("clauses/adult/teaching/approved-apps.md");
    let text = fs::read_to_string(&clause).unwrap();
    fs::write(&clause, text.replacen("I will", "I will always", 1)).unwrap();
    let school = project.path().join("schools/oakhollow.yaml");
    let text = fs::read_to_string(&school).unwrap();
    fs::write(&school, format!("{text}\nlinked_policies: []\n")).unwrap();
    fs::write(
        project.path().join("clauses/adult/teaching/bad.md"),
        "---\nid: bad\nsection: nowhere\norder: 1\naudiences: [staff]\n---\n{{ nope }}\n",
    )
    .unwrap();
    assert_valid(
        &json_of(&run_in(project.path(), &["check", "--format", "json"])),
        "check.schema.json",
    );
    fs::remove_file(project.path().join("clauses/adult/teaching/bad.md")).unwrap();
    fs::remove_file(project.path().join("schools/copperbeck.yaml")).unwrap();
    let changes = run_in(
        project.path(),
        &["changes", "--baseline", "out", "--format", "json"],
    );
    let report = json_of(&changes);
    assert!(report["documents"]
        .as_array()
        .is_some_and(|d| d.iter().any(|d| d["status"] == "removed")));
    assert_valid(&report, "changes.schema.json");
}

#[test]
fn the_validator_catches_what_a_schema_forbids() {
    let schema = schema("build.schema.json");
    let mut errors = Vec::new();
    let wrong = serde_json::json!({"ok": "yes", "extra": 1});
    validate(&wrong, &schema, &schema, "$", &mut errors);
    assert!(
        errors.iter().any(|e| e.contains("$.ok: is string")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("lacks `documents`")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("has `extra`")),
        "{errors:?}"
    );
}
