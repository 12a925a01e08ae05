//! YAML errors as a school administrator would want them: serde_yaml's
//! messages reworded, located at the file's own line (front matter is
//! offset), with a hint that says how to fix them.

use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic};

/// The deepest nesting a policyc YAML file may have. Real files nest four
/// or five levels; the YAML parser takes time quadratic in the depth, so a
/// file of thousands of `[` would keep it busy for half a minute.
pub const MAX_YAML_DEPTH: usize = 64;

/// The byte offset where `yaml` first nests deeper than
/// [`MAX_YAML_DEPTH`], found by one scan of the bytes before any parsing:
/// flow brackets (`[`, `{`) outside quotes and comments, and block levels
/// (indentation, and `- ` items opened on one line).
pub fn too_deep(yaml: &str) -> Option<usize> {
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    let mut line_start = true;
    let mut block = 0usize;
    let bytes = yaml.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start {
            // Indentation and "- " items at the start of a line: block depth.
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'-') {
                i += 1;
            }
            let dashes = bytes[start..i].iter().filter(|&&c| c == b'-').count();
            block = (i - start) / 2 + dashes;
            if block > MAX_YAML_DEPTH {
                return Some(i);
            }
            line_start = false;
            continue;
        }
        match (quote, b) {
            (_, b'\n') => {
                line_start = true;
                if flow == 0 {
                    quote = None;
                }
            }
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if flow > 0 || i == 0 || bytes[i - 1] == b' ' => quote = Some(b),
            (None, b'#') if i == 0 || bytes[i - 1] == b' ' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            (None, b'[' | b'{') => {
                flow += 1;
                if flow + block > MAX_YAML_DEPTH {
                    return Some(i);
                }
            }
            (None, b']' | b'}') => flow = flow.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Turns a serde_yaml error into a located diagnostic with a hint.
/// `first_line` is the file line where `yaml` starts (front matter is offset).
pub fn yaml_diagnostic(
    rel: &str,
    whole: &str,
    err: &serde_yaml::Error,
    first_line: usize,
    keys: &[&str],
) -> Diagnostic {
    let raw = err.to_string();
    let message = raw
        .split(" at line ")
        .next()
        .unwrap_or(&raw)
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    let (message, hint, code) = explain_yaml_message(&message, keys);
    let mut d = Diagnostic::error(code, rel, message).with_hint_opt(hint);
    if code == Code::DuplicateKey {
        if let Some(line) = second_key_line(whole, &raw) {
            return d.at(whole, line, 1);
        }
    }
    if let Some(loc) = err.location() {
        d = d.at(whole, loc.line() + first_line - 1, loc.column());
    }
    d
}

/// A key given twice in one map, at any depth, located at its second
/// appearance, with the line of the first. `None` if `err` is another error.
pub fn duplicate_key_diagnostic(
    rel: &str,
    whole: &str,
    err: &serde_yaml::Error,
    first_line: usize,
) -> Option<Diagnostic> {
    let raw = err.to_string();
    let (path, rest) = match raw.split_once(": duplicate entry with key ") {
        Some((path, rest)) => (path, rest),
        None => ("", raw.strip_prefix("duplicate entry with key ")?),
    };
    let key = rest.split(" at line ").next().unwrap_or(rest).trim();
    let key = key.trim_matches('"');
    // serde_yaml points at the map; the key's two appearances follow it.
    let map_line = err.location().map_or(1, |l| l.line()) + first_line - 1;
    let start: usize = whole
        .split_inclusive('\n')
        .take(map_line.saturating_sub(1))
        .map(str::len)
        .sum();
    let found = key_positions(&whole[start.min(whole.len())..], key);
    let inside = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{path}`")
    };
    let d = Diagnostic::error(
        Code::DuplicateKey,
        rel,
        format!("`{key}` is given twice{inside}"),
    );
    Some(match found.as_slice() {
        [first, second, ..] => {
            let (line, _) = crate::diag::line_column(whole, start + first);
            d.at_offset(whole, start + second).with_hint(format!(
                "the first `{key}` is on line {line}; keep one and delete the other"
            ))
        }
        _ => d
            .at(whole, map_line, 1)
            .with_hint(format!("keep one `{key}:` and delete the other")),
    })
}

/// Byte offsets where `key` stands as a key (`key:` or `"key":`), in order.
fn key_positions(text: &str, key: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for quoted in [format!("\"{key}\""), format!("'{key}'"), key.to_string()] {
        let mut from = 0;
        while let Some(found) = text[from..].find(&quoted) {
            let at = from + found;
            let after = text[at + quoted.len()..].trim_start_matches([' ', '\t']);
            let before = text[..at].chars().next_back();
            let starts_token =
                before.is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '{' | ',' | '-'));
            if after.starts_with(':') && starts_token {
                out.push(at);
            }
            from = at + quoted.len();
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How `BlockDef` says a block has no kind, or two, or a `skip` off a
/// contents block (see `model::blocks`).
const BLOCK_KINDS: [&str; 3] = [
    "a block needs its kind",
    "a block has more than one kind",
    "`skip` belongs on a contents block",
];

fn explain_yaml_message(message: &str, keys: &[&str]) -> (String, Option<String>, Code) {
    // Nested errors arrive as `path.to[1]: unknown field …`; keep the path as context.
    let (path, message) = split_yaml_path(message);
    let inside = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{path}`")
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let own: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let candidates: Vec<&str> = if path.is_empty() {
            own.iter().copied().chain(keys.iter().copied()).collect()
        } else {
            own.clone()
        };
        let hint = suggestion(field, candidates.iter().copied()).or_else(|| {
            (!own.is_empty()).then(|| format!("the keys allowed here are {}", list(&own)))
        });
        return (
            format!("unknown key `{field}`{inside}"),
            hint,
            Code::UnknownKey,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = suggestion(value, candidates.iter().copied())
            .or_else(|| Some(format!("use one of {}", list(&candidates))));
        return (
            format!("unknown value `{value}`{inside}"),
            hint,
            Code::BadValue,
        );
    }
    let block_problem = match message.split_once(": ") {
        Some((what, hint)) if BLOCK_KINDS.contains(&what) => (Code::BadBlock, what, hint).into(),
        _ => None,
    };
    if let Some((code, what, hint)) = block_problem {
        return (format!("{what}{inside}"), Some(hint.to_string()), code);
    }
    if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or("");
        return (
            format!("missing required key `{field}`{inside}"),
            Some(format!("add `{field}:` (see docs/FORMAT.md)")),
            Code::MissingKey,
        );
    }
    if let Some(field) = message.strip_prefix("duplicate field `") {
        let field = field.split('`').next().unwrap_or("");
        return (
            format!("`{field}` is given twice{inside}"),
            Some(format!("keep one `{field}:` line and delete the other")),
            Code::DuplicateKey,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let what = if path.is_empty() {
            "this value".to_string()
        } else {
            format!("`{path}`")
        };
        let message = format!(
            "{what} should be {}, not {}",
            plain_type(expected),
            plain_type(found)
        );
        return (message, Some(type_hint(expected)), Code::WrongType);
    }
    (
        message.to_string(),
        Some(syntax_hint(message)),
        Code::YamlSyntax,
    )
}

/// The line of a key's second appearance, for `duplicate field` errors.
fn second_key_line(whole: &str, raw: &str) -> Option<usize> {
    let key = raw.split("duplicate field `").nth(1)?.split('`').next()?;
    let mut seen = 0;
    for (i, line) in whole.lines().enumerate() {
        if line.trim_start().starts_with(&format!("{key}:")) {
            seen += 1;
            if seen == 2 {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Splits serde's `a.b[1]: message` into the path and the message.
fn split_yaml_path(message: &str) -> (&str, &str) {
    const STARTS: [&str; 9] = [
        BLOCK_KINDS[0],
        BLOCK_KINDS[1],
        BLOCK_KINDS[2],
        "unknown field",
        "unknown variant",
        "missing field",
        "duplicate field",
        "invalid type",
        "invalid value",
    ];
    if let Some((path, rest)) = message.split_once(": ") {
        if !path.contains(' ') && STARTS.iter().any(|s| rest.starts_with(s)) {
            return (path, rest);
        }
    }
    ("", message)
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde's type words, as a school administrator would say them.
fn plain_type(serde: &str) -> String {
    let serde = serde.trim();
    if let Some(rest) = serde.strip_prefix("integer ") {
        return format!("the number {}", rest.trim_matches('`'));
    }
    if let Some(rest) = serde.strip_prefix("string ") {
        return format!("the text {rest}");
    }
    match serde {
        "a string" | "string" => "one piece of text".into(),
        "a sequence" | "sequence" => "a list".into(),
        "a map" | "map" => "a map of keys and values".into(),
        "i64" | "u64" | "i32" | "usize" | "an integer" => "a whole number".into(),
        "a boolean" | "boolean" => "true or false".into(),
        "unit value" => "empty".into(),
        s if s.starts_with("struct ") => "a map of keys and values".into(),
        s if s.starts_with("a value, or a map from audience") => {
            "a value, or a map from audience to value".into()
        }
        s => s.trim_start_matches("a ").to_string(),
    }
}

fn type_hint(expected: &str) -> String {
    match plain_type(expected).as_str() {
        "a list" => "write a list as `[a, b]` or as lines starting with `- `".into(),
        "one piece of text" => "write plain text; put it in quotes if it contains `:` or `#`".into(),
        "a whole number" => "write a whole number, e.g. `order: 20`".into(),
        "a map of keys and values" => "write keys under it, e.g. `approval: { by: Governing body, date: 2026-09-09 }` (see docs/FORMAT.md)".into(),
        _ => "see docs/FORMAT.md for the shape of this value".into(),
    }
}

/// A hint for a YAML syntax error, from libyaml's wording.
fn syntax_hint(message: &str) -> String {
    if message.contains("cannot start any token") {
        return "YAML cannot be indented with tabs, and some characters (`@`, `` ` ``) cannot start a value: use spaces, and put such values in quotes".into();
    }
    if message.contains("expected ',' or ']'") {
        return "a list opened with `[` is never closed: add `]`".into();
    }
    if message.contains("expected ',' or '}'") {
        return "a map opened with `{` is never closed: add `}`".into();
    }
    if message.contains("end of stream") || message.contains("quoted scalar") {
        return "a quoted value is never closed: add the closing quote".into();
    }
    if message.contains("mapping values are not allowed") {
        return "a value contains `: `: put the whole value in quotes".into();
    }
    "check the YAML near this line: indentation (spaces only), colons after keys, and matching quotes and brackets".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_found_in_one_scan() {
        let deep = "[".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(too_deep(&deep), Some(MAX_YAML_DEPTH));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(too_deep("a: { b: [1, 2, \"[[[[\"] }\n# [[[[[[\n"), None);
        assert!(too_deep(&"- ".repeat(100)).is_some());
        let real = "name: Wrenfold\ncontacts:\n  dpo:\n    name: A\n    email: a@b.example\n";
        assert_eq!(too_deep(real), None);
    }
    use crate::model::files::{ClauseMeta, SchoolFile, CLAUSE_KEYS, SCHOOL_KEYS};

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let err = serde_yaml::from_str::<SchoolFile>("name: A\ncontcts: {}\n").unwrap_err();
        let d = yaml_diagnostic(
            "schools/a.yaml",
            "name: A\ncontcts: {}\n",
            &err,
            1,
            SCHOOL_KEYS,
        );
        assert_eq!(d.message, "unknown key `contcts`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `contacts`?"));
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn front_matter_errors_are_offset_to_file_lines() {
        let whole = "---\nid: a\nsection: [x\n---\n";
        let err = serde_yaml::from_str::<ClauseMeta>("id: a\nsection: [x\n").unwrap_err();
        let d = yaml_diagnostic("c.md", whole, &err, 2, CLAUSE_KEYS);
        assert!(d.line.unwrap() >= 3, "{d:?}");
    }
}
