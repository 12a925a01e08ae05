//! Checks on the library as a whole, before any school is resolved: clause
//! ids are unique, clauses name audiences, sections and references that
//! exist, policies are well formed, and no school file has a TODO left.

use std::collections::{BTreeMap, HashSet};

use crate::check::messages::{duplicate_entry, repeated, unknown_audience};
use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::model::blocks::{BlockDef, SectionDef};
use crate::model::files::{Clause, Policy, PolicyKind, KNOWN_REFS};
use crate::model::project::Project;

/// Every problem with the library and the policies.
/// `policies_loaded` is false when a policy file failed to load: clauses
/// naming its sections are then not reported, to keep the real error in view.
pub fn check_library(project: &Project, policies_loaded: bool, diags: &mut Diagnostics) {
    let audiences: Vec<&str> = project.audiences.iter().map(|a| a.id.as_str()).collect();
    let sections = section_ids(project);
    let all_clauses = project
        .clauses
        .iter()
        .chain(project.schools.iter().flat_map(|s| s.local_clauses.iter()));
    for clause in all_clauses {
        check_clause(
            project,
            clause,
            &audiences,
            &sections,
            policies_loaded,
            diags,
        );
    }
    duplicate_ids(project, diags);
    combined_audiences(project, &audiences, diags);
    todo_values(project, diags);
    if !project.fictional {
        example_addresses(project, diags);
    }
    for policy in all_policies(project) {
        let text = project.sources.get(&policy.file).map_or("", String::as_str);
        let mut seen = HashSet::new();
        let blocks = policy.def.blocks.iter().flatten();
        let block_sections = blocks.filter_map(|b| match b {
            BlockDef::Section(def) => Some(def),
            _ => None,
        });
        for section in &policy.def.sections {
            if let Err(problem) = crate::model::ids::check_id(&section.id) {
                diags.push(
                    Diagnostic::error(Code::BadId, &policy.file, format!("section id `{}` {problem}", section.id))
                        .near_under(text, "sections", &section.id)
                        .with_hint("section ids use lower-case letters, digits and hyphens, e.g. `social-media`; the heading can be anything"),
                );
            }
            if !seen.insert(section.id.as_str()) {
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateSection,
                        &policy.file,
                        format!("the section `{}` is defined twice", section.id),
                    )
                    .near_second(text, &section.id)
                    .with_hint("give each section its own id"),
                );
            }
            if let Some(audience) = section.heading.as_ref().and_then(blank_entry) {
                diags.push(
                    Diagnostic::error(
                        Code::EmptyHeading,
                        &policy.file,
                        format!("the section `{}` has an empty heading{audience}", section.id),
                    )
                    .near_under(text, "sections", &section.id)
                    .with_hint("write the heading readers see: a PDF that screen readers can use needs every heading to say something"),
                );
            }
            for key in section.heading.iter().flat_map(|h| h.audience_keys()) {
                if !audiences.contains(&key) {
                    diags.push(unknown_audience(
                        &policy.file,
                        text,
                        "heading",
                        key,
                        &audiences,
                    ));
                }
            }
        }
        for section in block_sections {
            subsection_headings(&policy.file, text, section, diags);
        }
        for section in &policy.def.sections {
            subsection_headings(&policy.file, text, section, diags);
        }
        for id in policy.def.audiences.iter().flatten() {
            if !audiences.contains(&id.as_str()) {
                diags.push(unknown_audience(
                    &policy.file,
                    text,
                    "audiences",
                    id,
                    &audiences,
                ));
            }
        }
        let texts = [
            ("title", Some(&policy.def.title)),
            ("intro", policy.def.intro.as_ref()),
            ("agreement", policy.def.agreement.as_ref()),
        ];
        for (name, value) in texts {
            for key in value.map(|v| v.audience_keys()).unwrap_or_default() {
                if !audiences.contains(&key) {
                    diags.push(unknown_audience(&policy.file, text, name, key, &audiences));
                }
            }
        }
        kind_rules(policy, text, diags);
        consent_purposes(project, policy, text, diags);
    }
    unknown_elements(project, diags);
}

/// A consent form asks about at least one purpose, each defined in
/// `policyc.yaml`; any other policy asks about none.
fn consent_purposes(project: &Project, policy: &Policy, text: &str, diags: &mut Diagnostics) {
    let known: Vec<&str> = project
        .consent
        .purposes
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let form = policy.def.kind == PolicyKind::Consent;
    if form && policy.def.purposes.is_empty() {
        {
            diags.push(Diagnostic::error(Code::ConsentFormPurposes, &policy.file, "this consent form asks about no purpose")
            .at_key(text, "kind")
            .with_hint(format!("list the purposes it asks about, e.g. `purposes: [{}]`, from `consent: purposes:` in policyc.yaml", known.first().copied().unwrap_or("website"))));
            return;
        }
    }
    if !form && !policy.def.purposes.is_empty() {
        {
            diags.push(Diagnostic::error(Code::ConsentFormPurposes, &policy.file, "only a consent form asks about purposes")
            .at_key(text, "purposes")
            .with_hint("add `kind: consent` if readers give or refuse consent on this document, or remove `purposes:`"));
            return;
        }
    }
    let mut seen = HashSet::new();
    for id in &policy.def.purposes {
        let message = if !known.contains(&id.as_str()) {
            format!("`{id}` is not a consent purpose in policyc.yaml")
        } else if !seen.insert(id.as_str()) {
            format!("`{id}` is listed twice")
        } else {
            continue;
        };
        diags.push(
            Diagnostic::error(Code::ConsentFormPurposes, &policy.file, message)
                .near_under(text, "purposes", id)
                .with_hint(match crate::diag::text::did_you_mean(id, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`? The purposes are listed under `consent: purposes:` in policyc.yaml"),
                    None => format!("list each purpose once, from those under `consent: purposes:` in policyc.yaml: {}", known.join(", ")),
                }),
        );
    }
}

/// An agreement needs its statement; a notice has none, and no agreement
/// block; the elements a policy requires have ids, each once.
fn kind_rules(policy: &Policy, text: &str, diags: &mut Diagnostics) {
    let agreement_block = policy
        .def
        .blocks
        .iter()
        .flatten()
        .any(|b| matches!(b, BlockDef::Agreement(_)));
    match policy.def.kind {
        PolicyKind::Agreement | PolicyKind::Consent if policy.def.agreement.is_none() => diags.push(
            Diagnostic::error(Code::PolicyNoAgreement, &policy.file, "this policy has no `agreement:` statement to print above the signature block")
                .at_key(text, "title")
                .with_hint("add `agreement: I have read this agreement and I will follow it.` (per audience if you like), or `kind: notice` if the document is published and never signed"),
        ),
        PolicyKind::Notice if policy.def.agreement.is_some() || agreement_block => diags.push(
            Diagnostic::error(Code::NoticeAgreement, &policy.file, "a notice is published, never signed, so it has no agreement statement or signature block")
                .at_key(text, "agreement")
                .with_hint("remove `agreement:` (and any `agreement` block), or drop `kind: notice` if people must sign this document"),
        ),
        _ => {}
    }
    let mut seen = HashSet::new();
    for element in &policy.def.requires {
        if let Err(problem) = crate::model::ids::check_id(&element.id) {
            diags.push(
                Diagnostic::error(
                    Code::BadId,
                    &policy.file,
                    format!("element id `{}` {problem}", element.id),
                )
                .near_under(text, "requires", &element.id)
                .with_hint(
                    "element ids use lower-case letters, digits and hyphens, e.g. `lawful-basis`",
                ),
            );
        }
        if !seen.insert(element.id.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateElement,
                    &policy.file,
                    format!("`requires` lists the element `{}` twice", element.id),
                )
                .near_second(text, &element.id)
                .with_hint("list each element once"),
            );
        }
    }
}

/// A clause that `provides` an element no policy requires: usually a typo.
fn unknown_elements(project: &Project, diags: &mut Diagnostics) {
    let required: Vec<&str> = all_policies(project)
        .into_iter()
        .flat_map(|p| p.def.requires.iter().map(|e| e.id.as_str()))
        .collect();
    let clauses = project
        .clauses
        .iter()
        .chain(project.schools.iter().flat_map(|s| s.local_clauses.iter()));
    for clause in clauses {
        let text = project.source(&clause.file);
        for element in &clause.meta.provides {
            if required.contains(&element.as_str()) {
                continue;
            }
            let hint = if required.is_empty() {
                "no policy in this project lists `requires:`, so `provides:` does nothing here: remove it".to_string()
            } else {
                suggestion(element, required.iter().copied()).unwrap_or_else(|| {
                    format!("the elements policies require are: {}", required.join(", "))
                })
            };
            diags.push(
                Diagnostic::warning(
                    Code::UnknownElement,
                    &clause.file,
                    format!("`{element}` is not an element any policy requires"),
                )
                .near_under(text, "provides", element)
                .with_hint(hint),
            );
        }
    }
}

fn check_clause(
    project: &Project,
    clause: &Clause,
    audiences: &[&str],
    sections: &HashSet<&str>,
    policies_loaded: bool,
    diags: &mut Diagnostics,
) {
    let text = project.sources.get(&clause.file).map_or("", String::as_str);
    let m = &clause.meta;
    if m.audiences.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::NoAudiences,
                &clause.file,
                format!("clause `{}` names no audience", m.id),
            )
            .at_key(text, "audiences")
            .with_hint(format!(
                "list who it speaks to, e.g. `audiences: [staff, governor]` (known: {})",
                audiences.join(", ")
            )),
        );
    }
    for (key, list) in [
        ("audiences", &m.audiences),
        ("refs", &m.refs),
        ("tags", &m.tags),
    ] {
        if let Some(entry) = repeated(list) {
            diags.push(duplicate_entry(&clause.file, text, key, entry));
        }
    }
    let named = (m.audiences.iter().map(|id| ("audiences", id)))
        .chain(m.wording.keys().map(|id| ("wording", id)));
    for (key, id) in named {
        if !audiences.contains(&id.as_str()) {
            diags.push(unknown_audience(&clause.file, text, key, id, audiences));
        }
    }
    for id in m.wording.keys() {
        if audiences.contains(&id.as_str()) && !m.audiences.contains(id) {
            diags.push(
                Diagnostic::error(Code::WordingAudience, &clause.file, format!("`wording` gives text for `{id}`, which is not in this clause's `audiences`"))
                    .near_under(text, "wording", id)
                    .with_hint(format!("add `{id}` to `audiences`, or remove its wording")),
            );
        }
    }
    if policies_loaded && !sections.contains(m.section.as_str()) {
        diags.push(
            Diagnostic::error(
                Code::UnknownSection,
                &clause.file,
                format!("the section `{}` is not in any policy", m.section),
            )
            .near_under(text, "section", &m.section)
            .with_hint(
                suggestion(&m.section, sections.iter().copied())
                    .unwrap_or_else(|| "sections are defined in policies/*.yaml".into()),
            ),
        );
    }
    let refs: Vec<&str> = KNOWN_REFS.iter().map(|(k, _)| *k).collect();
    for r in &m.refs {
        if !refs.contains(&r.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::UnknownRef,
                    &clause.file,
                    format!("unknown reference `{r}`"),
                )
                .near_under(text, "refs", r)
                .with_hint(
                    suggestion(r, refs.iter().copied())
                        .unwrap_or_else(|| format!("known references: {}", refs.join(", "))),
                ),
            );
        }
    }
    if let Some(id) = &m.module {
        match project.modules.get(id) {
            None => {
                let ids = project.modules.keys().map(String::as_str);
                diags.push(
                    Diagnostic::error(Code::UnknownModule, &clause.file, format!("clause `{}` belongs to the module `{id}`, which modules.yaml does not define", m.id))
                        .near_under(text, "module", id)
                        .with_hint(suggestion(id, ids).unwrap_or_else(|| "define the module in modules.yaml: a title, a description and its audiences".into())),
                );
            }
            Some(module) => {
                for audience in m.audiences.iter().filter(|a| !module.audiences.contains(a)) {
                    diags.push(
                        Diagnostic::error(Code::ModuleAudience, &clause.file, format!("clause `{}` speaks to `{audience}`, but its module `{id}` is not for that audience", m.id))
                            .near_under(text, "audiences", audience)
                            .with_hint(format!("add `{audience}` to the module's `audiences` in modules.yaml, or remove it from this clause")),
                    );
                }
            }
        }
    }
    if clause.body.trim().is_empty() && m.wording.len() < m.audiences.len() {
        diags.push(
            Diagnostic::error(
                Code::EmptyClause,
                &clause.file,
                format!("clause `{}` has no text", m.id),
            )
            .at(text, clause.body_line.saturating_sub(1).max(1), 1)
            .with_hint("write the clause text after the closing `---`"),
        );
    }
    editorial_mark(clause, text, diags);
}

/// Warns about `TODO` values left in school files (as `policyc init` writes
/// them), so `check` says what to fill in next.
fn todo_values(project: &Project, diags: &mut Diagnostics) {
    for (file, text, line, code) in school_file_lines(project) {
        if let Some(col) = code.find("TODO") {
            let key = code.split(':').next().unwrap_or("").trim();
            diags.push(
                Diagnostic::warning(Code::Todo, file, format!("`{key}` still has a TODO value"))
                    .at(text, line, col + 1)
                    .with_hint("replace the TODO text with the school's real value"),
            );
        }
    }
}

/// Each line of every school and defaults file that holds YAML, not only a
/// comment, with its comment cut off: (file, text, 1-based line, code).
fn school_file_lines(project: &Project) -> impl Iterator<Item = (&str, &str, usize, &str)> {
    project
        .sources
        .iter()
        .filter(|(file, _)| file.starts_with("schools/") && file.ends_with(".yaml"))
        .flat_map(|(file, text)| {
            text.lines().enumerate().filter_map(move |(index, line)| {
                let code = line.split(" #").next().unwrap_or(line);
                (!code.trim_start().starts_with('#')).then_some((
                    file.as_str(),
                    text.as_str(),
                    index + 1,
                    code,
                ))
            })
        })
}

/// Warns about an email address or web address at a reserved example
/// domain (RFC 2606 and 6761: `.example`, `.test`, `.invalid`,
/// `.localhost`, `example.com`, `.org`, `.net`), as `policyc init` writes
/// them: nobody can be reached there, so a document printing one is not
/// ready. Exact, not a guess: only a whole address whose host is reserved.
fn example_addresses(project: &Project, diags: &mut Diagnostics) {
    for (file, text, line, code) in school_file_lines(project) {
        for (col, address) in reserved_addresses(code) {
            diags.push(
                Diagnostic::warning(Code::ExampleAddress, file, format!("`{address}` is at a reserved example domain, where nobody can be reached"))
                    .at(text, line, col + 1)
                    .with_hint("write the school's real address; a project that is a demonstration says `fictional: true` in policyc.yaml"),
            );
        }
    }
}

/// The email and web addresses in `line` whose host is a reserved example
/// domain, each with its byte offset.
fn reserved_addresses(line: &str) -> Vec<(usize, &str)> {
    let is_part = |c: char| c.is_alphanumeric() || "._%+-@/:".contains(c);
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, is_part(c)) {
            (None, true) => start = Some(i),
            (Some(from), false) => {
                let token = line[from..i].trim_end_matches(['.', ':', '/']);
                if reserved_host(token) {
                    found.push((from, token));
                }
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// Whether `token` is an address (`a@host` or `scheme://host/...`) whose
/// host is reserved for examples.
fn reserved_host(token: &str) -> bool {
    let host = if let Some((_, rest)) = token.split_once("://") {
        rest.split(['/', ':', '?', '#']).next().unwrap_or("")
    } else if let Some((user, host)) = token.rsplit_once('@') {
        if user.is_empty() {
            return false;
        }
        host
    } else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    ["example", "test", "invalid", "localhost"]
        .iter()
        .any(|tld| host.ends_with(&format!(".{tld}")))
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// A clause whose id another file already uses.
fn already_used(project: &Project, clause: &Clause, first: &str, hint: &str) -> Diagnostic {
    let text = project.sources.get(&clause.file).map_or("", String::as_str);
    let message = format!(
        "the clause id `{}` is already used by {first}",
        clause.meta.id
    );
    Diagnostic::error(Code::DuplicateId, &clause.file, message)
        .near_under(text, "id", &clause.meta.id)
        .with_hint(hint)
}

fn duplicate_ids(project: &Project, diags: &mut Diagnostics) {
    let mut first_seen: BTreeMap<&str, &str> = BTreeMap::new();
    for clause in &project.clauses {
        if let Some(first) = first_seen.insert(&clause.meta.id, &clause.file) {
            diags.push(already_used(
                project,
                clause,
                first,
                "clause ids must be unique across the library; rename one of them",
            ));
        }
    }
    for school in &project.schools {
        let mut local: BTreeMap<&str, &str> = BTreeMap::new();
        for clause in &school.local_clauses {
            if first_seen.contains_key(clause.meta.id.as_str()) {
                let text = project.sources.get(&clause.file).map_or("", String::as_str);
                diags.push(
                    Diagnostic::error(Code::DuplicateId, &clause.file, format!("local clause `{}` has the same id as a library clause", clause.meta.id))
                        .near_under(text, "id", &clause.meta.id)
                        .with_hint(format!("give it a new id, or reword the library clause with `replace: {{ {}: ... }}` in the school file", clause.meta.id)),
                );
            }
            if let Some(first) = local.insert(&clause.meta.id, &clause.file) {
                diags.push(already_used(project, clause, first, "rename one of them"));
            }
        }
    }
}

/// An editorial mark that cannot mean what it says: no reason, no fixes, a
/// fix that changes nothing, or a fix whose new text the clause lacks.
fn editorial_mark(clause: &Clause, text: &str, diags: &mut Diagnostics) {
    let Some(mark) = &clause.meta.editorial else {
        return;
    };
    let mismatch = |message: String| {
        Diagnostic::warning(Code::EditorialMismatch, &clause.file, message)
            .at_key(text, "editorial")
            .with_hint("give a `reason` and, under `fixes`, each edit as `was:` (the old text) and `now:` (the text the clause has now), exactly as written in this file")
    };
    if mark.reason.trim().is_empty() || mark.fixes.is_empty() {
        diags.push(mismatch(format!(
            "clause `{}` is marked editorial without a reason or without fixes, so the mark is ignored",
            clause.meta.id
        )));
    }
    let texts: Vec<&str> = std::iter::once(clause.body.as_str())
        .chain(clause.meta.wording.values().map(String::as_str))
        .collect();
    for fix in &mark.fixes {
        if fix.now == fix.was || fix.now.is_empty() {
            diags.push(mismatch(format!(
                "an editorial fix of clause `{}` changes nothing: `was` and `now` are the same or `now` is empty",
                clause.meta.id
            )));
        } else if !texts.iter().any(|t| t.contains(&fix.now)) {
            diags.push(mismatch(format!(
                "clause `{}` is marked editorial, but its text does not contain `{}`",
                clause.meta.id, fix.now
            )));
        }
    }
}

/// Where `member` is in the `members` of the audience `id` in
/// policyc.yaml's `audiences` list: the mistake's own line, even when the
/// member is defined above it.
fn member_place(text: &str, id: &str, member: &str) -> Option<(usize, usize)> {
    let index = crate::diag::places::places(text)
        .into_iter()
        .find(|p| {
            !p.is_key
                && p.text == id
                && p.path.len() == 3
                && p.path[0] == "audiences"
                && p.path[2] == "id"
        })?
        .path[1]
        .clone();
    crate::diag::places::find_under(text, &["audiences", &index, "members"], member)
}

/// A document for several audiences combines audiences that exist and
/// are not combined themselves.
fn combined_audiences(project: &Project, known: &[&str], diags: &mut Diagnostics) {
    let file = "policyc.yaml";
    let text = project.source(file);
    for audience in &project.audiences {
        for member in &audience.members {
            let nested = project
                .audiences
                .iter()
                .any(|a| &a.id == member && !a.members.is_empty());
            let problem = if !known.contains(&member.as_str()) {
                unknown_audience(file, text, "members", member, known)
            } else if nested || member == &audience.id {
                Diagnostic::error(
                    Code::NestedAudience,
                    file,
                    format!(
                        "the audience `{}` combines `{member}`, which combines audiences itself",
                        audience.id
                    ),
                )
                .near(text, member)
                .with_hint(
                    "list the audiences it is made of directly, e.g. `members: [staff, volunteer]`",
                )
            } else {
                continue;
            };
            diags.push(match member_place(text, &audience.id, member) {
                Some((line, column)) => problem.at(text, line, column),
                None => problem,
            });
        }
    }
}

/// Every id a clause may name as its `section`: the policies' sections,
/// those their blocks and the schools' block edits add, and all their
/// subsections.
fn section_ids(project: &Project) -> HashSet<&str> {
    let from_policies = all_policies(project).into_iter().flat_map(|p| {
        let blocks = p.def.blocks.iter().flatten();
        p.def.sections.iter().chain(blocks.filter_map(section_of))
    });
    let from_schools = project
        .schools
        .iter()
        .flat_map(|s| s.chain.iter())
        .flat_map(|(_, file)| file.blocks.iter().flat_map(|b| b.values()))
        .flatten()
        .filter_map(|edit| edit.block.as_ref().and_then(section_of));
    from_policies
        .chain(from_schools)
        .flat_map(|def| {
            std::iter::once(def.id.as_str()).chain(def.subsections.iter().map(|s| s.id.as_str()))
        })
        .collect()
}

/// The project's policies and every school's and trust's own, each once.
fn all_policies(project: &Project) -> Vec<&Policy> {
    let local = project.schools.iter().flat_map(|s| s.local_policies.iter());
    let mut seen = HashSet::new();
    project
        .policies
        .iter()
        .chain(local)
        .filter(|p| seen.insert(p.file.as_str()))
        .collect()
}

fn section_of(block: &BlockDef) -> Option<&SectionDef> {
    match block {
        BlockDef::Section(def) => Some(def),
        _ => None,
    }
}

/// A subsection with a blank heading: screen readers need every heading
/// to say something.
fn subsection_headings(file: &str, text: &str, section: &SectionDef, diags: &mut Diagnostics) {
    section
        .subsections
        .iter()
        .filter_map(|sub| blank_entry(&sub.heading).map(|audience| (sub, audience)))
        .map(|(sub, audience)| {
            Diagnostic::error(
                Code::EmptyHeading,
                file,
                format!("the subsection `{}` has an empty heading{audience}", sub.id),
            )
            .near(text, &sub.id)
            .with_hint("write the heading readers see, or put the clauses in the section itself")
        })
        .for_each(|d| diags.push(d));
}

/// The first blank value of `value`, as words for a message: "" when the
/// value is one for every audience, " for ks2" when it is one audience's.
fn blank_entry(value: &crate::model::per_audience::PerAudience<String>) -> Option<String> {
    use crate::model::per_audience::PerAudience;
    match value {
        PerAudience::All(text) => text.trim().is_empty().then(String::new),
        PerAudience::Map(map) => {
            map.iter()
                .find(|(_, text)| text.trim().is_empty())
                .map(|(key, _)| {
                    if key == "default" {
                        String::new()
                    } else {
                        format!(" for {key}")
                    }
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_example_addresses_are_found_and_real_ones_are_not() {
        let line = "contacts: { dpo: dpo@my-school.example, web: https://www.example.org/x, real: office@wrenfold.sch.uk, note: see example.com }";
        let found: Vec<&str> = reserved_addresses(line)
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        assert_eq!(
            found,
            ["dpo@my-school.example", "https://www.example.org/x"]
        );
        assert!(reserved_host("it@school.test"));
        assert!(!reserved_host("head@examples.co.uk"));
        assert!(!reserved_host("@example.com"));
    }
}
