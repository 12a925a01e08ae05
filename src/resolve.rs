//! Resolving: for one school × policy × audience, pick the clauses, apply the
//! school's exclusions, replacements and local clauses, order them, fill in
//! the placeholders and number them. The result is a [`Document`]: all the
//! text a reader sees, as data, ready for either renderer.
//!
//! Everything here is pure: no disk, no clock. Problems come back as
//! [`Diagnostic`]s that point at the clause or school line to fix.

use std::collections::BTreeMap;

use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::dates;
use crate::diag::{find_token, Diagnostic};
use crate::inherit::Merged;
use crate::markdown::{self, Block};
use crate::model::{
    ref_label, Audience, Clause, Layout, NumberingStyle, Origin, Policy, Reading, SchoolFile,
};
use crate::numbering;

/// What a document is resolved from, besides the school.
#[derive(Debug, Clone, Copy)]
pub struct Library<'a> {
    /// Every audience the project knows.
    pub audiences: &'a [Audience],
    /// The shared clause library.
    pub clauses: &'a [Clause],
    /// False when some clause file failed to load: ids that name no clause
    /// are then not reported, since the missing clause may be the broken one.
    pub complete: bool,
}

/// One school, merged, with its local clauses and logo.
#[derive(Debug, Clone, Copy)]
pub struct SchoolInput<'a> {
    /// The school id.
    pub id: &'a str,
    /// The school file, relative to the project.
    pub file: &'a str,
    /// The school file's text, for locating problems.
    pub source: &'a str,
    /// The school merged over its defaults.
    pub merged: &'a Merged,
    /// The school's own clauses.
    pub local_clauses: &'a [Clause],
    /// The logo's SHA-256, when it has one.
    pub logo_hash: Option<&'a str>,
    /// Every project file's text, for locating problems in any of them.
    pub sources: &'a BTreeMap<String, String>,
}

/// A resolved document: everything a reader sees, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Short hash of everything below: printed on every page and the form.
    pub doc_id: String,
    /// School id.
    pub school_id: String,
    /// Policy id.
    pub policy_id: String,
    /// Audience id.
    pub audience_id: String,
    /// The school's facts for the header.
    pub school: SchoolInfo,
    /// The document title.
    pub title: String,
    /// The audience's label.
    pub audience_label: String,
    /// How a sentence names the audience.
    pub audience_noun: String,
    /// How the audience reads.
    pub reading: Reading,
    /// Page layout.
    pub layout: Layout,
    /// Clause numbering.
    pub numbering: NumberingStyle,
    /// Version and dates.
    pub meta: Meta,
    /// Introduction.
    pub intro: Vec<Block>,
    /// Values or mission statement.
    pub values: Vec<Block>,
    /// Sections with their clauses, in reading order.
    pub sections: Vec<Section>,
    /// Linked policies.
    pub linked_policies: Vec<String>,
    /// Statement above the signature block.
    pub agreement: Vec<Block>,
    /// The signature block.
    pub signature: Signature,
}

/// The school facts a document prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolInfo {
    /// Full name.
    pub name: String,
    /// The trust's name, if any.
    pub trust: Option<String>,
    /// Motto, if any.
    pub motto: Option<String>,
    /// Postal address, if any.
    pub address: Option<String>,
    /// Web site, if any.
    pub website: Option<String>,
    /// The logo, if any.
    pub logo: Option<LogoRef>,
}

/// A logo as the renderers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogoRef {
    /// Alternative text.
    pub alt: String,
    /// SHA-256 of the image, so a new logo changes the document id.
    pub sha256: String,
}

/// Version and dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Version label.
    pub version: String,
    /// Approving body.
    pub approved_by: String,
    /// Approval date, `YYYY-MM-DD`.
    pub approved_on: String,
    /// Approval date for readers, e.g. "9 September 2026".
    pub approved_on_text: String,
    /// Next review date, `YYYY-MM-DD`.
    pub review_by: String,
    /// Next review date for readers.
    pub review_by_text: String,
}

/// A headed section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Section id.
    pub id: String,
    /// Heading text.
    pub heading: String,
    /// Heading number, for section numbering.
    pub label: Option<String>,
    /// Clauses in order.
    pub clauses: Vec<ResolvedClause>,
}

/// A clause as it reads in one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedClause {
    /// Clause id.
    pub id: String,
    /// Short title.
    pub title: Option<String>,
    /// Its number or bullet.
    pub label: String,
    /// Its text.
    pub blocks: Vec<Block>,
    /// The poster keyword, for KS1.
    pub keyword: Option<String>,
    /// Law and guidance, as display names.
    pub refs: Vec<String>,
    /// Where the text came from.
    #[serde(skip)]
    pub provenance: Provenance,
}

/// Where a clause's text came from: for `explain`, the manifest and diffs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// The clause file.
    pub file: String,
    /// `library`, `local` or `replaced`.
    pub origin: &'static str,
    /// The placeholders its text used.
    pub placeholders: Vec<String>,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    /// Field labels for the signer.
    pub fields: Vec<String>,
    /// Field labels for a parent or carer, if asked for.
    pub parent: Option<Vec<String>>,
    /// The countersignature, if asked for.
    pub countersign: Option<Countersign>,
}

/// A headteacher's or deputy's countersignature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Countersign {
    /// What the countersigner confirms.
    pub statement: String,
    /// Field labels.
    pub fields: Vec<String>,
}

/// Resolves every document one school produces: each of its policies ×
/// each of its audiences. Problems are returned, all of them.
pub fn resolve_school(
    lib: Library<'_>,
    policies: &[Policy],
    school: SchoolInput<'_>,
) -> Result<Vec<Document>, Vec<Diagnostic>> {
    let mut problems = check_school(lib, policies, school);
    if !problems.is_empty() {
        return Err(problems);
    }
    let s = &school.merged.school;
    let audiences = s.audiences.clone().unwrap_or_default();
    let mut documents = Vec::new();
    for policy in selected_policies(policies, s) {
        for audience_id in &audiences {
            let Some(audience) = lib.audiences.iter().find(|a| &a.id == audience_id) else {
                continue;
            };
            match resolve_document(lib, policy, audience, school) {
                Ok(doc) => documents.push(doc),
                Err(mut errs) => problems.append(&mut errs),
            }
        }
    }
    if problems.is_empty() {
        Ok(documents)
    } else {
        Err(problems)
    }
}

fn selected_policies<'p>(policies: &'p [Policy], school: &SchoolFile) -> Vec<&'p Policy> {
    match &school.policies {
        Some(ids) => policies.iter().filter(|p| ids.contains(&p.id)).collect(),
        None => policies.iter().collect(),
    }
}

/// Checks the merged school for what resolving needs: required keys, known
/// audiences, clause ids that exist, locks respected, valid dates.
pub fn check_school(
    lib: Library<'_>,
    policies: &[Policy],
    school: SchoolInput<'_>,
) -> Vec<Diagnostic> {
    let s = &school.merged.school;
    let mut out = Vec::new();
    let err = |code, message: String| {
        let file = school.file.to_string();
        Diagnostic::error(code, file, message)
    };
    let missing: Vec<&str> = [
        ("name", s.name.is_some()),
        ("version", s.version.is_some()),
        ("approval", s.approval.is_some()),
        ("review_by", s.review_by.is_some()),
        ("audiences", s.audiences.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| !present)
    .map(|(key, _)| key)
    .collect();
    if !missing.is_empty() {
        let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        let chain: Vec<&str> = school
            .merged
            .provenance
            .values()
            .map(String::as_str)
            .filter(|f| *f != school.file)
            .collect();
        let extends = match chain.first() {
            Some(base) => format!(" or to {base}, which it extends"),
            None => {
                ", or start it with `extends: _trust.yaml` to share a trust's values".to_string()
            }
        };
        out.push(
            err(
                "missing-key",
                format!("school `{}` has no {}", school.id, join_list(&keys, "or")),
            )
            .at(school.source, 1, 1)
            .with_hint(format!(
                "add {} to {}{extends}",
                join_list(&keys, "and"),
                school.file
            )),
        );
    }
    if s.audiences.as_ref().is_some_and(Vec::is_empty) {
        out.push(
            err(
                "no-audiences",
                format!("school `{}` lists no audiences", school.id),
            )
            .near(school.source, "audiences")
            .with_hint("list at least one audience, e.g. `audiences: [staff, ks2]`"),
        );
    }
    let known: Vec<&str> = lib.audiences.iter().map(|a| a.id.as_str()).collect();
    let audience_lists = [
        ("audiences", s.audiences.as_ref()),
        (
            "signature",
            s.signature.as_ref().and_then(|x| x.parent.as_ref()),
        ),
        (
            "signature",
            s.signature.as_ref().and_then(|x| x.countersign.as_ref()),
        ),
    ];
    for (key, list) in audience_lists {
        for id in list.into_iter().flatten() {
            if !known.contains(&id.as_str()) {
                out.push(unknown_audience(school, key, id, &known));
            }
        }
    }
    out.extend(check_clause_refs(lib, school));
    out.extend(check_dates(school));
    out.extend(check_audience_keys(lib, school));
    out.extend(check_locked(lib, school));
    if let Some(ids) = &s.policies {
        for id in ids {
            if !policies.iter().any(|p| &p.id == id) {
                let names = policies.iter().map(|p| p.id.as_str());
                out.push(
                    err(
                        "unknown-policy",
                        format!("`policies` names `{id}`, which is not a policy"),
                    )
                    .near(school.source, id)
                    .with_hint_opt(crate::diag::suggestion(id, names)),
                );
            }
        }
    }
    out
}

/// `a`, `a and b`, `a, b and c` (or with `or`).
fn join_list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

fn unknown_audience(school: SchoolInput<'_>, key: &str, id: &str, known: &[&str]) -> Diagnostic {
    let (file, source) = provenance_of(school, key);
    Diagnostic::error(
        "unknown-audience",
        file,
        format!("`{key}` names the audience `{id}`, which does not exist"),
    )
    .near(source, id)
    .with_hint(
        crate::diag::suggestion(id, known.iter().copied()).unwrap_or_else(|| {
            format!(
                "known audiences: {}; add new ones in policyc.yaml",
                known.join(", ")
            )
        }),
    )
}

/// The file that set `key` and its text (the school file if unknown).
fn provenance_of<'a>(school: SchoolInput<'a>, key: &str) -> (String, &'a str) {
    match school.merged.provenance.get(key) {
        Some(file) if file != school.file => {
            let text = school.sources.get(file).map_or("", String::as_str);
            (file.clone(), text)
        }
        _ => (school.file.to_string(), school.source),
    }
}

fn check_clause_refs(lib: Library<'_>, school: SchoolInput<'_>) -> Vec<Diagnostic> {
    let s = &school.merged.school;
    let mut out = Vec::new();
    let library_ids: Vec<&str> = lib.clauses.iter().map(|c| c.meta.id.as_str()).collect();
    let locked = s.locked.clone().unwrap_or_default();
    let mut named: Vec<(&str, &String)> = Vec::new();
    named.extend(s.exclude.iter().flatten().map(|id| ("exclude", id)));
    named.extend(
        s.replace
            .iter()
            .flat_map(|m| m.keys())
            .map(|id| ("replace", id)),
    );
    for (key, id) in named {
        let (file, source) = provenance_of(school, key);
        if !library_ids.contains(&id.as_str()) {
            if !lib.complete {
                continue;
            }
            out.push(
                Diagnostic::error(
                    "unknown-clause",
                    file,
                    format!("`{key}` names the clause `{id}`, which is not in the library"),
                )
                .near(source, id)
                .with_hint(
                    crate::diag::suggestion(id, library_ids.iter().copied())
                        .unwrap_or_else(|| "run `policyc list clauses` to see the ids".into()),
                ),
            );
        } else if locked.contains(id) && file == school.file {
            let lock_file = school
                .merged
                .provenance
                .get("locked")
                .cloned()
                .unwrap_or_default();
            out.push(
                Diagnostic::error("locked-clause", file, format!("the clause `{id}` is locked by {lock_file} and cannot be used in `{key}`"))
                    .near(source, id)
                    .with_hint("the trust requires this wording in every school; ask the trust to change it, or remove it from this list"),
            );
        }
    }
    out
}

fn check_dates(school: SchoolInput<'_>) -> Vec<Diagnostic> {
    let s = &school.merged.school;
    let mut out = Vec::new();
    let dates = [
        ("approval", s.approval.as_ref().map(|a| a.date.as_str())),
        ("review_by", s.review_by.as_deref()),
    ];
    let mut parsed = Vec::new();
    for (key, value) in dates {
        let Some(value) = value else { continue };
        match dates::parse(value) {
            Ok(date) => parsed.push((key, date, value)),
            Err(why) => {
                let (file, source) = provenance_of(school, key);
                out.push(
                    Diagnostic::error(
                        "bad-date",
                        file,
                        format!("`{key}` has the date `{value}`, which {why}"),
                    )
                    .near(source, value)
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2026-09-09"),
                );
            }
        }
    }
    if let [("approval", approved, _), ("review_by", review, text)] = parsed.as_slice() {
        if review <= approved {
            let (file, source) = provenance_of(school, "review_by");
            out.push(
                Diagnostic::error(
                    "review-before-approval",
                    file,
                    format!("the review date {text} is not after the approval date"),
                )
                .near(source, text)
                .with_hint(
                    "set `review_by` to a date after `approval: date`, usually a year later",
                ),
            );
        }
    }
    out
}

/// Audience keys in the school's per-audience maps must name its audiences.
fn check_audience_keys(lib: Library<'_>, school: SchoolInput<'_>) -> Vec<Diagnostic> {
    let s = &school.merged.school;
    let known: Vec<&str> = lib.audiences.iter().map(|a| a.id.as_str()).collect();
    let mut keyed: Vec<(&str, Vec<&str>)> = vec![
        (
            "numbering",
            s.numbering
                .as_ref()
                .map(|v| v.audience_keys())
                .unwrap_or_default(),
        ),
        (
            "retention",
            s.retention
                .as_ref()
                .map(|v| v.audience_keys())
                .unwrap_or_default(),
        ),
        (
            "intro",
            s.intro
                .as_ref()
                .map(|v| v.audience_keys())
                .unwrap_or_default(),
        ),
        (
            "layout",
            s.layout
                .as_ref()
                .map(|v| v.audience_keys())
                .unwrap_or_default(),
        ),
        (
            "values",
            s.values
                .as_ref()
                .map(|v| v.audience_keys())
                .unwrap_or_default(),
        ),
    ];
    for text in s.replace.iter().flat_map(|r| r.values()) {
        keyed.push(("replace", text.audience_keys()));
    }
    let mut out = Vec::new();
    for (key, ids) in keyed {
        for id in ids {
            if !known.contains(&id) {
                out.push(unknown_audience(school, key, id, &known));
            }
        }
    }
    out
}

/// Every `locked` id must name a library clause.
fn check_locked(lib: Library<'_>, school: SchoolInput<'_>) -> Vec<Diagnostic> {
    let ids: Vec<&str> = lib.clauses.iter().map(|c| c.meta.id.as_str()).collect();
    let (file, source) = provenance_of(school, "locked");
    let locked = school.merged.school.locked.iter().flatten();
    locked
        .filter(|id| !ids.contains(&id.as_str()))
        .map(|id| {
            Diagnostic::error(
                "unknown-clause",
                &file,
                format!("`locked` names the clause `{id}`, which is not in the library"),
            )
            .near(source, id)
            .with_hint(
                crate::diag::suggestion(id, ids.iter().copied())
                    .unwrap_or_else(|| "run `policyc list clauses` to see the ids".into()),
            )
        })
        .collect()
}

/// Resolves one school × policy × audience.
pub fn resolve_document(
    lib: Library<'_>,
    policy: &Policy,
    audience: &Audience,
    school: SchoolInput<'_>,
) -> Result<Document, Vec<Diagnostic>> {
    let s = &school.merged.school;
    let aid = audience.id.as_str();
    let title = policy.def.title.get(aid).cloned().unwrap_or_default();
    let meta = meta(s);
    let context = context(s, audience, &title, &meta);
    let renderer = Renderer::new(&context, school);
    let mut problems = Vec::new();
    let sections = sections(lib, policy, audience, school, &renderer, &mut problems);
    let intro_src = s
        .intro
        .as_ref()
        .and_then(|i| i.get(aid))
        .map(|t| {
            (
                t,
                "intro",
                school
                    .merged
                    .provenance
                    .get("intro")
                    .map_or(school.file, String::as_str),
            )
        })
        .or_else(|| {
            policy
                .def
                .intro
                .as_ref()
                .and_then(|i| i.get(aid))
                .map(|t| (t, "intro", policy.file.as_str()))
        });
    let intro = intro_src.map_or_else(Vec::new, |(text, key, file)| {
        renderer.field(text, file, key, &mut problems)
    });
    let agreement_text = policy.def.agreement.get(aid).cloned().unwrap_or_default();
    let agreement = renderer.field(&agreement_text, &policy.file, "agreement", &mut problems);
    let values = s
        .values
        .as_ref()
        .and_then(|v| v.get(aid))
        .map_or_else(Vec::new, |v| {
            let file = school
                .merged
                .provenance
                .get("values")
                .map_or(school.file, String::as_str);
            renderer.field(v, file, "values", &mut problems)
        });
    if sections.iter().all(|sec| sec.clauses.is_empty()) && problems.is_empty() {
        problems.push(
            Diagnostic::error("empty-document", school.file, format!("the `{}` {} for `{aid}` has no clauses", policy.id, "document"))
                .near(school.source, aid)
                .with_hint(format!("tag some clauses with `audiences: [{aid}]`, add local clauses, or remove `{aid}` from `audiences`")),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut doc = Document {
        doc_id: String::new(),
        school_id: school.id.to_string(),
        policy_id: policy.id.clone(),
        audience_id: audience.id.clone(),
        school: school_info(s, school.logo_hash),
        title,
        audience_label: audience.label.clone(),
        audience_noun: audience.noun(),
        reading: audience.reading,
        layout: s
            .layout
            .as_ref()
            .and_then(|l| l.get(aid))
            .copied()
            .unwrap_or_default(),
        numbering: numbering_style(s, aid),
        meta,
        intro,
        values,
        sections: sections
            .into_iter()
            .filter(|s| !s.clauses.is_empty())
            .collect(),
        linked_policies: match audience.reading {
            Reading::Adult => s.linked_policies.clone().unwrap_or_default(),
            Reading::Ks1 | Reading::Ks2 => Vec::new(),
        },
        agreement,
        signature: signature(s, audience),
    };
    number_clauses(&mut doc);
    doc.doc_id = document_id(&doc);
    Ok(doc)
}

fn numbering_style(s: &SchoolFile, audience: &str) -> NumberingStyle {
    s.numbering
        .as_ref()
        .and_then(|n| n.get(audience))
        .copied()
        .unwrap_or_default()
}

fn school_info(s: &SchoolFile, logo_hash: Option<&str>) -> SchoolInfo {
    let name = s.name.clone().unwrap_or_default();
    let logo = match (s.logo.as_ref(), logo_hash) {
        (Some(logo), Some(hash)) => Some(LogoRef {
            alt: logo.alt.clone().unwrap_or_else(|| format!("{name} logo")),
            sha256: hash.to_string(),
        }),
        _ => None,
    };
    SchoolInfo {
        trust: s.trust.as_ref().map(|t| t.name.clone()),
        motto: s.motto.clone(),
        address: s.address.clone(),
        website: s.website.clone(),
        logo,
        name,
    }
}

fn meta(s: &SchoolFile) -> Meta {
    let approval = s.approval.clone();
    let approved_on = approval
        .as_ref()
        .map(|a| a.date.clone())
        .unwrap_or_default();
    let review_by = s.review_by.clone().unwrap_or_default();
    Meta {
        version: s.version.clone().unwrap_or_default(),
        approved_by: approval.map(|a| a.by).unwrap_or_default(),
        approved_on_text: dates::long_form(&approved_on),
        approved_on,
        review_by_text: dates::long_form(&review_by),
        review_by,
    }
}

/// The values placeholders can name.
fn context(s: &SchoolFile, audience: &Audience, title: &str, meta: &Meta) -> Json {
    let name = s.name.clone().unwrap_or_default();
    json!({
        "school": {
            "name": name,
            "short_name": s.short_name.clone().unwrap_or_else(|| name.clone()),
            "address": s.address,
            "website": s.website,
            "motto": s.motto,
        },
        "trust": s.trust,
        "contacts": s.contacts,
        "systems": s.systems,
        "vars": s.vars,
        "retention": s.retention.as_ref().and_then(|r| r.get(&audience.id)),
        "policy": {
            "title": title,
            "version": meta.version,
            "approved_by": meta.approved_by,
            "approved_on": meta.approved_on_text,
            "review_by": meta.review_by_text,
        },
        "audience": audience.id,
        "audience_label": audience.label,
        "audience_noun": audience.noun(),
    })
}

/// Fills placeholders and parses the Markdown, turning template errors into
/// diagnostics at the right line.
struct Renderer<'a> {
    env: Environment<'static>,
    context: minijinja::Value,
    json: Json,
    school: SchoolInput<'a>,
}

impl<'a> Renderer<'a> {
    fn new(context: &Json, school: SchoolInput<'a>) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(50_000));
        env.set_formatter(|out, _state, value| {
            let text = if value.is_none() || value.is_undefined() {
                String::new()
            } else {
                value.to_string()
            };
            out.write_str(&markdown::escape(&text))
                .map_err(minijinja::Error::from)
        });
        Self {
            env,
            context: minijinja::Value::from_serialize(context),
            json: context.clone(),
            school,
        }
    }

    /// Renders `text`, which stands in `file` at `anchor`.
    fn render(
        &self,
        text: &str,
        file: &str,
        anchor: Anchor<'_>,
    ) -> Result<(Vec<Block>, Vec<String>), Diagnostic> {
        let template = self
            .env
            .template_from_named_str(file, text)
            .map_err(|e| self.template_error(&e, text, file, anchor))?;
        let mut used: Vec<String> = template.undeclared_variables(true).into_iter().collect();
        used.sort();
        let filled = template
            .render(&self.context)
            .map_err(|e| self.template_error(&e, text, file, anchor))?;
        Ok((markdown::parse(&filled), used))
    }

    /// Renders a text field of a YAML file (intro, agreement, values).
    fn field(
        &self,
        text: &str,
        file: &str,
        key: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<Block> {
        match self.render(text, file, Anchor::Key(key)) {
            Ok((blocks, _)) => blocks,
            Err(d) => {
                problems.push(d);
                Vec::new()
            }
        }
    }

    fn template_error(
        &self,
        err: &minijinja::Error,
        text: &str,
        file: &str,
        anchor: Anchor<'_>,
    ) -> Diagnostic {
        let line_in_text = err.line().unwrap_or(1).max(1);
        let expr = err
            .range()
            .map(|r| enclosing_expression(text, r))
            .unwrap_or_default();
        let source = self.school.sources.get(file).map_or("", String::as_str);
        let first_line = match anchor {
            Anchor::Line(line) => line,
            Anchor::Key(key) => value_line(source, key, text),
        };
        let line = first_line + line_in_text - 1;
        let excerpt = source
            .lines()
            .nth(line - 1)
            .filter(|l| expr.is_empty() || l.contains(&expr))
            .or_else(|| text.lines().nth(line_in_text - 1))
            .unwrap_or("");
        let column = if expr.is_empty() {
            1
        } else {
            excerpt.find(&expr).map_or(1, |c| c + 1)
        };
        let (code, message, hint) = match err.kind() {
            ErrorKind::UndefinedError => (
                "undefined-placeholder",
                format!("`{expr}` is not defined for school `{}`", self.school.id),
                self.undefined_hint(&expr),
            ),
            ErrorKind::SyntaxError => (
                "template-syntax",
                format!("placeholder syntax error: {}", err.detail().unwrap_or("invalid syntax")),
                "placeholders look like `{{ school.name }}`; conditions like `{% if audience == \"staff\" %}…{% endif %}`".to_string(),
            ),
            ErrorKind::OutOfFuel => (
                "template-too-slow",
                "the placeholders in this text take too long to fill".to_string(),
                "simplify the loops in this text".to_string(),
            ),
            _ => (
                "template-error",
                format!("cannot fill placeholders: {}", err.detail().unwrap_or("invalid template")),
                "check the placeholder against docs/FORMAT.md".to_string(),
            ),
        };
        let mut d = Diagnostic::error(code, file, message).with_hint(hint);
        d.line = Some(line);
        d.column = Some(column);
        d.excerpt = Some(excerpt.to_string());
        d
    }

    /// Names the first missing part of a dotted placeholder and where to add it.
    fn undefined_hint(&self, expr: &str) -> String {
        let head = expr
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("");
        let path: Vec<&str> = head.split('.').filter(|p| !p.is_empty()).collect();
        let file = self.school.file;
        let mut node = &self.json;
        for (depth, part) in path.iter().enumerate() {
            match node.get(part) {
                Some(next) if !next.is_null() => node = next,
                Some(_) if depth == 0 => {
                    return match path.get(1) {
                        Some(next) => missing_value_hint(&[part], next, file),
                        None => missing_value_hint(&[], part, file),
                    };
                }
                _ if depth == 0 => {
                    let names = self
                        .json
                        .as_object()
                        .map(|o| o.keys().map(String::as_str).collect::<Vec<_>>())
                        .unwrap_or_default();
                    return crate::diag::suggestion(part, names).unwrap_or_else(|| {
                        format!("`{part}` is not a placeholder policyc provides; see the placeholder table in docs/FORMAT.md")
                    });
                }
                _ => return missing_value_hint(&path[..depth], part, file),
            }
        }
        format!("give `{expr}` a value in {file} or the file it extends")
    }
}

/// Where a text given in YAML stands: the line of its first line, searched
/// for after `key`.
#[derive(Debug, Clone, Copy)]
enum Anchor<'k> {
    /// The text starts on this line of the file.
    Line(usize),
    /// The text is the value of (or follows) this key.
    Key(&'k str),
}

/// The file line where `text` (a YAML value) starts, searching after `key`.
fn value_line(source: &str, key: &str, text: &str) -> usize {
    let from = find_token(source, key).unwrap_or(0);
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let at = source[from..].find(first).map_or(from, |i| from + i);
    crate::diag::line_column(source, at).0
}

/// Where to add a missing value, given the defined path before it.
fn missing_value_hint(parent: &[&str], part: &str, file: &str) -> String {
    match parent {
        [] if matches!(part, "systems" | "contacts" | "vars" | "retention") => {
            format!("the school has no `{part}:`; add it to {file} or its trust file (see docs/FORMAT.md)")
        }
        ["contacts"] => format!(
            "add `{part}: {{ name: …, email: … }}` under `contacts:` in {file} or its trust file"
        ),
        ["contacts", role] => {
            format!("add `{part}: …` to `contacts: {role}:` in {file} or its trust file")
        }
        ["systems"] => format!("add `{part}: …` under `systems:` in {file} or its trust file"),
        ["vars"] => format!("add `{part}: …` under `vars:` in {file}"),
        ["retention"] | ["retention", ..] => {
            format!("add `retention:` for this audience in {file} or its trust file")
        }
        [] | ["school"] | ["trust"] => format!("add `{part}:` to {file} or its trust file"),
        _ => format!("add `{part}` under `{}` in {file}", parent.join(".")),
    }
}

/// The whole `{{ … }}` or `{% … %}` tag around a byte range, without its
/// delimiters, or the range's own text if it is not inside one.
fn enclosing_expression(text: &str, range: std::ops::Range<usize>) -> String {
    let start = range.start.min(text.len());
    let before = &text[..start];
    let open = before
        .rfind("{{")
        .into_iter()
        .chain(before.rfind("{%"))
        .max();
    let close = text[start..].find(['}', '%']).map(|i| start + i);
    match (open, close) {
        (Some(open), Some(close)) if !text[open..start].contains("}}") && open + 2 <= close => text
            [open + 2..close]
            .trim()
            .trim_start_matches(['-', '+'])
            .trim()
            .to_string(),
        _ => text.get(range).unwrap_or("").trim().to_string(),
    }
}

/// The policy's sections, each with the clauses this audience gets.
fn sections(
    lib: Library<'_>,
    policy: &Policy,
    audience: &Audience,
    school: SchoolInput<'_>,
    renderer: &Renderer<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let s = &school.merged.school;
    let aid = audience.id.as_str();
    let excluded = s.exclude.clone().unwrap_or_default();
    let mut by_section: BTreeMap<&str, Vec<&Clause>> = BTreeMap::new();
    for clause in lib.clauses.iter().chain(school.local_clauses) {
        let m = &clause.meta;
        let wanted = m.audiences.iter().any(|a| a == aid)
            && !(clause.origin == Origin::Library && excluded.contains(&m.id));
        if wanted {
            by_section
                .entry(m.section.as_str())
                .or_default()
                .push(clause);
        }
    }
    let mut out = Vec::new();
    for def in &policy.def.sections {
        let mut clauses = by_section.remove(def.id.as_str()).unwrap_or_default();
        clauses.sort_by(|a, b| (a.meta.order, &a.meta.id).cmp(&(b.meta.order, &b.meta.id)));
        let resolved = clauses
            .into_iter()
            .filter_map(|c| match resolve_clause(c, aid, s, school, renderer) {
                Ok(rc) => Some(rc),
                Err(d) => {
                    problems.push(d);
                    None
                }
            })
            .collect();
        out.push(Section {
            id: def.id.clone(),
            heading: def.heading.get(aid).cloned().unwrap_or_default(),
            label: None,
            clauses: resolved,
        });
    }
    out
}

fn resolve_clause(
    clause: &Clause,
    aid: &str,
    s: &SchoolFile,
    school: SchoolInput<'_>,
    renderer: &Renderer<'_>,
) -> Result<ResolvedClause, Diagnostic> {
    let m = &clause.meta;
    let replaced = s
        .replace
        .as_ref()
        .and_then(|r| r.get(&m.id))
        .and_then(|r| r.get(aid));
    let (text, file, anchor, origin) = match (replaced, m.wording.get(aid)) {
        (Some(text), _) => {
            let (file, _) = provenance_of(school, "replace");
            (text.as_str(), file, Anchor::Key(&m.id), "replaced")
        }
        (None, Some(text)) => (
            text.as_str(),
            clause.file.clone(),
            Anchor::Key("wording"),
            origin_name(clause.origin),
        ),
        (None, None) => (
            clause.body.as_str(),
            clause.file.clone(),
            Anchor::Line(clause.body_line),
            origin_name(clause.origin),
        ),
    };
    let (blocks, placeholders) = renderer.render(text, &file, anchor)?;
    Ok(ResolvedClause {
        id: m.id.clone(),
        title: m.title.clone(),
        label: String::new(),
        blocks,
        keyword: m.keyword.clone(),
        refs: m
            .refs
            .iter()
            .map(|r| ref_label(r).unwrap_or(r).to_string())
            .collect(),
        provenance: Provenance {
            file,
            origin,
            placeholders,
        },
    })
}

fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::Library => "library",
        Origin::Local => "local",
    }
}

fn number_clauses(doc: &mut Document) {
    let style = doc.numbering;
    let mut index = 0;
    for (i, section) in doc.sections.iter_mut().enumerate() {
        section.label = numbering::section_label(style, i + 1);
        for (j, clause) in section.clauses.iter_mut().enumerate() {
            clause.label = numbering::clause_label(style, index, i + 1, j);
            index += 1;
        }
    }
}

fn signature(s: &SchoolFile, audience: &Audience) -> Signature {
    let extras = s.signature.clone().unwrap_or_default();
    let listed =
        |list: &Option<Vec<String>>| list.as_ref().is_some_and(|l| l.contains(&audience.id));
    let strings = |labels: &[&str]| labels.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    Signature {
        fields: audience.signature.iter().map(|f| f.label(audience.reading).to_string()).collect(),
        parent: listed(&extras.parent)
            .then(|| strings(&["Parent or carer's name", "Parent or carer's signature", "Date"])),
        countersign: listed(&extras.countersign).then(|| Countersign {
            statement: "I confirm that this person may be given access to the school systems their role needs.".into(),
            fields: strings(&["Headteacher or deputy (printed)", "Signature", "Date"]),
        }),
    }
}

/// The document id: the first 8 hex digits of the SHA-256 of everything the
/// reader sees, grouped `XXXX-XXXX`.
pub fn document_id(doc: &Document) -> String {
    let mut unhashed = doc.clone();
    unhashed.doc_id.clear();
    let bytes = serde_json::to_vec(&unhashed).unwrap_or_default();
    let hex = hex_digest(&bytes);
    format!("{}-{}", &hex[..4], &hex[4..8]).to_uppercase()
}

/// Lower-case hex SHA-256.
pub fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
