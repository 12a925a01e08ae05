//! Explaining a project: lists of clauses, schools and audiences, the
//! make-up of one resolved document, and the settings a school file gives
//! beyond its trust's (which the audit, `report::audit`, sorts and shows).
//! Everything here turns loaded or resolved data into text tables; nothing
//! touches the disk.

use std::collections::BTreeMap;

use crate::model::document::Document;
use crate::model::files::{Clause, ModuleScope, Origin, SchoolFile};
use crate::model::project::{Project, Resolved, ResolvedSchool, SchoolSource};
use crate::resolve::inherit::merge_chain;

/// A plain text table with a header row, columns padded to fit.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// The clause library and every school's own clauses, optionally only
/// clauses for `audience` or with `tag`.
pub fn list_clauses(project: &Project, audience: Option<&str>, tag: Option<&str>) -> String {
    let library = project.clauses.iter().map(|c| ("library", c));
    let own = project
        .schools
        .iter()
        .flat_map(|s| s.own_clauses().map(move |c| (s.id.as_str(), c)));
    // A trust's clauses reach every school that extends it: listed once,
    // from the defaults file's folder (`schools/_trust/clauses/`).
    let mut trust: Vec<(&str, &Clause)> = project
        .schools
        .iter()
        .flat_map(SchoolSource::inherited_clauses)
        .map(|c| (c.file.split('/').nth(1).unwrap_or("trust"), c))
        .collect();
    trust.sort_by(|a, b| a.1.file.cmp(&b.1.file));
    trust.dedup_by(|a, b| a.1.file == b.1.file);
    let local = own.chain(trust);
    let rows: Vec<Vec<String>> = library
        .chain(local)
        .filter(|(_, c)| audience.is_none_or(|a| c.meta.audiences.iter().any(|x| x == a)))
        .filter(|(_, c)| tag.is_none_or(|t| c.meta.tags.iter().any(|x| x == t)))
        .map(|(from, c)| {
            vec![
                c.meta.id.clone(),
                c.meta.section.clone(),
                c.meta.audiences.join(","),
                c.meta.module.clone().unwrap_or_else(|| "-".into()),
                from.to_string(),
                c.meta.title.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &["ID", "SECTION", "AUDIENCES", "MODULE", "FROM", "TITLE"],
        &rows,
    )
}

/// The schools with their names, audiences and the file they extend.
pub fn list_schools(project: &Project) -> String {
    let rows: Vec<Vec<String>> = project
        .schools
        .iter()
        .map(|s| {
            let merged = merge_chain(&s.chain).school;
            vec![
                s.id.clone(),
                merged.name.unwrap_or_default(),
                merged.audiences.unwrap_or_default().join(","),
                s.chain
                    .get(1)
                    .map(|(f, _)| f.clone())
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(&["ID", "NAME", "AUDIENCES", "EXTENDS"], &rows)
}

/// The opt-in modules, with the schools that switch each on.
pub fn list_modules(project: &Project) -> String {
    let rows: Vec<Vec<String>> = project
        .modules
        .iter()
        .map(|(id, m)| {
            let clauses = project
                .clauses
                .iter()
                .filter(|c| c.meta.module.as_deref() == Some(id))
                .count();
            let schools: Vec<String> = project
                .schools
                .iter()
                .filter(|s| {
                    let merged = merge_chain(&s.chain).school;
                    merged.modules.is_some_and(|on| on.contains(id))
                })
                .map(|s| s.id.clone())
                .collect();
            let scope = match m.applies_to {
                ModuleScope::School => "school",
                ModuleScope::Role => "role",
            };
            vec![
                id.clone(),
                m.title.clone(),
                m.audiences.join(","),
                scope.into(),
                clauses.to_string(),
                if schools.is_empty() {
                    "-".into()
                } else {
                    schools.join(",")
                },
            ]
        })
        .collect();
    table(
        &["ID", "TITLE", "AUDIENCES", "FOR", "CLAUSES", "SCHOOLS"],
        &rows,
    )
}

/// The audiences the project knows.
pub fn list_audiences(project: &Project) -> String {
    let rows: Vec<Vec<String>> = project
        .audiences
        .iter()
        .map(|a| {
            let count = project
                .clauses
                .iter()
                .filter(|c| c.meta.audiences.contains(&a.id))
                .count();
            let fields: Vec<String> = a
                .signature
                .iter()
                .map(|f| format!("{f:?}").to_lowercase())
                .collect();
            vec![
                a.id.clone(),
                a.label.clone(),
                format!("{:?}", a.reading).to_lowercase(),
                count.to_string(),
                fields.join(","),
            ]
        })
        .collect();
    table(&["ID", "LABEL", "READING", "CLAUSES", "SIGNS"], &rows)
}

/// One resolved document as a table: section, clause, where its text came
/// from and the placeholders it used.
pub fn explain_document(doc: &Document, school_file: &str) -> String {
    let mut out = format!(
        "{} · {} · {} · document ID {}\n\n",
        doc.school.name, doc.title, doc.audience_label, doc.doc_id
    );
    let rows: Vec<Vec<String>> = doc
        .clauses()
        .map(|(s, c)| {
            let source = match c.provenance.origin {
                Origin::Replaced if c.provenance.file == school_file => {
                    "school: replaced".to_string()
                }
                Origin::Replaced => format!("trust: replaced ({})", c.provenance.file),
                Origin::Local => "school: added".to_string(),
                Origin::Library => match &c.provenance.module {
                    Some(module) => format!("library: module {module}"),
                    None => "library".to_string(),
                },
            };
            vec![
                s.id.clone(),
                c.label.clone(),
                c.id.clone(),
                c.title.clone().unwrap_or_default(),
                source,
                c.provenance.placeholders.join(", "),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "SECTION",
            "NO.",
            "CLAUSE",
            "TITLE",
            "SOURCE",
            "PLACEHOLDERS",
        ],
        &rows,
    ));
    out
}

/// For each key the school file sets: the defaults' value and its own,
/// as YAML text, where they differ. Maps that merge key by key (contacts,
/// replace, numbering…) give one entry per inner key, as `contacts.dpo`.
/// The defaults' value is the one in effect: for a per-audience setting, the
/// trust's `default` (or its one value for every audience) when it names no
/// value for that audience, so restating it is no departure.
pub fn key_values(own: &SchoolFile, defaults: &SchoolFile) -> BTreeMap<String, (String, String)> {
    let to_map = |f: &SchoolFile| match serde_yaml::to_value(f) {
        Ok(serde_yaml::Value::Mapping(m)) => m,
        _ => serde_yaml::Mapping::new(),
    };
    let (mine, theirs) = (to_map(own), to_map(defaults));
    let mut out = BTreeMap::new();
    for (key, value) in &mine {
        if value.is_null() {
            continue;
        }
        let base = theirs.get(key).cloned().unwrap_or(serde_yaml::Value::Null);
        let key = key.as_str().unwrap_or_default().to_string();
        match value {
            // Maps merge key by key, so compare them key by key.
            serde_yaml::Value::Mapping(own_map) if key != "trust" => {
                for (sub, v) in own_map {
                    let b = in_effect(&base, sub);
                    if !restates(&b, v) {
                        let sub = sub
                            .as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| yaml_text(sub));
                        out.insert(format!("{key}.{sub}"), (yaml_text(&b), yaml_text(v)));
                    }
                }
            }
            _ if !restates(&base, value) => {
                out.insert(key, (yaml_text(&base), yaml_text(value)));
            }
            _ => {}
        }
    }
    out
}

/// The value `base` gives the entry `sub`: its own, else its `default`
/// (a per-audience map), or `base` itself when it is one value for every
/// entry.
fn in_effect(base: &serde_yaml::Value, sub: &serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    match base {
        Value::Mapping(map) => map
            .get(sub)
            .or_else(|| {
                (sub.as_str() != Some("default"))
                    .then(|| map.get("default"))
                    .flatten()
            })
            .cloned()
            .unwrap_or(Value::Null),
        Value::Null | Value::Sequence(_) | Value::Tagged(_) => Value::Null,
        scalar => scalar.clone(),
    }
}

/// Whether `own` only says again what `base` already gives: equal, or a
/// map each of whose entries `base` gives in effect.
fn restates(base: &serde_yaml::Value, own: &serde_yaml::Value) -> bool {
    match own {
        _ if base == own => true,
        serde_yaml::Value::Mapping(map) if !base.is_null() => map
            .iter()
            .all(|(sub, v)| v.is_null() || restates(&in_effect(base, sub), v)),
        _ => false,
    }
}

/// A YAML value on one line: lists as `a, b`, maps as `k: v; k: v` (keys
/// left unset are left out), a block as its kind and then its settings.
fn yaml_text(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    match value {
        Value::Null => String::new(),
        Value::Sequence(items) => items.iter().map(yaml_text).collect::<Vec<_>>().join(", "),
        Value::Mapping(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", yaml_text(k), yaml_text(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Tagged(tagged) => format!(
            "{} {{ {} }}",
            tagged.tag.to_string().trim_start_matches('!'),
            yaml_text(&tagged.value)
        ),
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// A value shortened to one line of at most 60 characters, for tables.
pub fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(59).collect::<String>())
    } else {
        flat
    }
}

/// The school and document `explain` asks for, if they exist.
pub fn find_document<'r>(
    resolved: &'r Resolved,
    school: &str,
    policy: Option<&str>,
    audience: &str,
) -> Option<(&'r ResolvedSchool, &'r Document)> {
    let s = resolved.schools.iter().find(|s| s.id == school)?;
    let doc = s
        .documents
        .iter()
        .find(|d| d.audience_id == audience && policy.is_none_or(|p| d.policy_id == p))?;
    Some((s, doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_edit_reads_as_written_without_its_unset_keys() {
        let own: SchoolFile = serde_yaml::from_str(
            "blocks:\n  aup:\n    - { before: intro, block: { prose: { id: statement, text: Hello } } }\n",
        )
        .unwrap();
        let departures = key_values(&own, &SchoolFile::default());
        assert_eq!(
            departures["blocks.aup"].1,
            "before: intro; block: prose { id: statement; text: Hello }"
        );
    }

    #[test]
    fn tables_pad_columns() {
        let t = table(
            &["A", "LONGER"],
            &[
                vec!["x".into(), "y".into()],
                vec!["wide cell".into(), "z".into()],
            ],
        );
        assert_eq!(
            t,
            "A          LONGER\n---------  ------\nx          y\nwide cell  z\n"
        );
    }

    #[test]
    fn a_setting_is_compared_with_the_value_the_trust_gives_in_effect() {
        let file = |yaml: &str| serde_yaml::from_str::<SchoolFile>(yaml).unwrap();
        let trust = file("numbering: { default: roman }\nretention: six years\n");
        // Restating the trust's default, or its one value, is no departure.
        let same = file("numbering: { staff: roman }\nretention: { ks2: six years }\n");
        assert!(key_values(&same, &trust).is_empty());
        let other = file("numbering: { staff: letter }\n");
        assert_eq!(
            key_values(&other, &trust)["numbering.staff"],
            ("roman".to_string(), "letter".to_string())
        );
    }

    #[test]
    fn long_values_are_shortened() {
        assert_eq!(one_line("a\n  b"), "a b");
        assert!(one_line(&"x".repeat(100)).ends_with('…'));
    }
}
