//! Validation of one merged school against the library, before it is
//! resolved: required keys, known audiences and policies, clause ids that
//! exist and are not locked, and dates that parse and come in order.

use crate::check::messages::{
    duplicate_entry, join_list, repeated, unknown_audience, unknown_clause,
};
use crate::diag::Code;
use crate::diag::{suggestion, Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::files::{PerAudience, Policy, SignedBy};
use crate::model::labels;
use crate::model::numbering;
use crate::model::project::{Library, SchoolInput};

/// Checks the merged school for what resolving needs: required keys, known
/// audiences, clause ids that exist, locks respected, valid dates.
pub fn check_school(
    lib: Library<'_>,
    policies: &[Policy],
    school: SchoolInput<'_>,
    diags: &mut Diagnostics,
) {
    let s = &school.merged.school;
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
        diags.push(
            err(
                Code::MissingKey,
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
        diags.push(
            err(
                Code::NoAudiences,
                format!("school `{}` lists no audiences", school.id),
            )
            .at_key(school.source, "audiences")
            .with_hint("list at least one audience, e.g. `audiences: [staff, ks2]`"),
        );
    }
    if s.masthead == Some(crate::model::files::Masthead::Trust) && s.trust.is_none() {
        let (file, source) = school.setting("masthead");
        diags.push(
            Diagnostic::error(
                Code::MastheadWithoutTrust,
                file,
                format!("`masthead: trust` asks for the trust's name in the header, but school `{}` has no trust", school.id),
            )
            .at_key(source, "masthead")
            .with_hint("give the trust's name (`trust: { name: ... }`), or use `masthead: school` or `masthead: none`"),
        );
    }
    let known: Vec<&str> = lib.audiences.iter().map(|a| a.id.as_str()).collect();
    let audience_lists = [
        ("audiences", s.audiences.as_ref()),
        (
            "signature.parent",
            s.signature.as_ref().and_then(|x| x.parent.as_ref()),
        ),
        (
            "signature.countersign",
            s.signature.as_ref().and_then(|x| x.countersign.as_ref()),
        ),
    ];
    for (key, list) in audience_lists {
        for id in list.into_iter().flatten() {
            if !known.contains(&id.as_str()) {
                let (file, source) = school.setting(top_key(key));
                diags.push(unknown_audience(&file, source, key, id, &known));
            }
        }
    }
    check_lists(school, diags);
    check_blank_values(school, diags);
    check_modules(lib, school, diags);
    check_replace_audiences(lib, school, diags);
    check_clause_refs(lib, school, diags);
    check_dates(school, diags);
    check_audience_keys(lib, school, diags);
    check_locked(lib, school, diags);
    check_labels(school, diags);
    check_list_numbering(school, diags);
    check_roles(policies, school, diags);
    crate::check::signing::check_signing(lib, school, diags);
    crate::check::completeness::check_processor_facts(lib, policies, school, diags);
    for (i, policy) in policies.iter().enumerate() {
        if let Some(first) = policies[..i].iter().find(|p| p.id == policy.id) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicatePolicy,
                    &policy.file,
                    format!("the policy `{}` is also defined in {}", policy.id, first.file),
                )
                .with_hint("give the school's or trust's own policy a file name of its own: the name is its id"),
            );
        }
    }
    if let Some(ids) = &s.policies {
        for id in ids {
            if !policies.iter().any(|p| &p.id == id) {
                let names = policies.iter().map(|p| p.id.as_str());
                diags.push(
                    err(
                        Code::UnknownPolicy,
                        format!("`policies` names `{id}`, which is not a policy"),
                    )
                    .near_under(school.source, "policies", id)
                    .with_hint_opt(crate::diag::suggestion(id, names)),
                );
            }
        }
    }
}

/// Every list of ids names each entry once: a repeated audience would
/// build the same document twice.
fn check_lists(school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let s = &school.merged.school;
    let signature = s.signature.as_ref();
    let lists = [
        ("audiences", s.audiences.as_ref()),
        ("exclude", s.exclude.as_ref()),
        ("locked", s.locked.as_ref()),
        ("policies", s.policies.as_ref()),
        ("modules", s.modules.as_ref()),
        ("linked_policies", s.linked_policies.as_ref()),
        ("signature", signature.and_then(|x| x.parent.as_ref())),
        ("signature", signature.and_then(|x| x.countersign.as_ref())),
    ];
    lists
        .into_iter()
        .filter_map(|(key, list)| {
            let entry = repeated(list?)?;
            let (file, source) = school.setting(key);
            Some(duplicate_entry(&file, source, key, entry))
        })
        .for_each(|d| diags.push(d));
}

/// Values a reader will see must not be blank: a name of spaces prints as
/// nothing where the school's name belongs.
fn check_blank_values(school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let s = &school.merged.school;
    let mut values: Vec<(&str, String, Option<&str>)> = vec![
        ("name", "name".into(), s.name.as_deref()),
        ("short_name", "short_name".into(), s.short_name.as_deref()),
        ("version", "version".into(), s.version.as_deref()),
        ("motto", "motto".into(), s.motto.as_deref()),
        ("address", "address".into(), s.address.as_deref()),
        ("website", "website".into(), s.website.as_deref()),
        (
            "trust",
            "trust.name".into(),
            s.trust.as_ref().map(|t| t.name.as_str()),
        ),
        (
            "approval",
            "approval.by".into(),
            s.approval.as_ref().map(|a| a.by.as_str()),
        ),
    ];
    for (role, contact) in s.contacts.iter().flatten() {
        values.push((
            "contacts",
            format!("contacts.{role}.name"),
            Some(&contact.name),
        ));
        values.push((
            "contacts",
            format!("contacts.{role}.email"),
            contact.email.as_deref(),
        ));
        values.push((
            "contacts",
            format!("contacts.{role}.title"),
            contact.title.as_deref(),
        ));
    }
    for (name, system) in s.systems.iter().flatten() {
        values.push(("systems", format!("systems.{name}"), Some(&system.name)));
    }
    for title in s.linked_policies.iter().flatten() {
        values.push(("linked_policies", "linked_policies".into(), Some(title)));
    }
    values
        .into_iter()
        .filter(|(_, _, value)| value.is_some_and(|v| v.trim().is_empty()))
        .map(|(key, path, _)| {
            let (file, source) = school.setting(key);
            let (parent, last) = path.rsplit_once('.').unwrap_or(("", &path));
            Diagnostic::error(Code::BlankValue, &file, format!("`{path}` is blank"))
                .near_under(source, parent, last)
                .with_hint(format!("give `{path}` a value"))
        })
        .for_each(|d| diags.push(d));
}

/// A per-audience `replace` for an audience the clause does not speak to
/// would be ignored without a word: warn, so the school sees it.
fn check_replace_audiences(lib: Library<'_>, school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let (file, source) = school.setting("replace");
    for (id, text) in school.merged.school.replace.iter().flatten() {
        let Some(clause) = lib.clauses.iter().find(|c| &c.meta.id == id) else {
            continue;
        };
        let known: Vec<&str> = lib.audiences.iter().map(|a| a.id.as_str()).collect();
        for audience in text.audience_keys() {
            if known.contains(&audience) && !clause.meta.audiences.iter().any(|a| a == audience) {
                diags.push(
                    Diagnostic::warning(
                        Code::ReplaceAudienceIgnored,
                        &file,
                        format!("`replace: {id}` gives text for `{audience}`, but the clause `{id}` does not speak to `{audience}`, so the text is never used"),
                    )
                    .near_under(source, &format!("replace.{id}"), audience)
                    .with_hint(format!("the clause speaks to {}; remove the `{audience}` text, or add a local clause for {audience}", clause.meta.audiences.join(", "))),
                );
            }
        }
    }
}

/// Every module a school switches on is one `modules.yaml` defines.
fn check_modules(lib: Library<'_>, school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let (file, source) = school.setting("modules");
    let ids: Vec<&str> = lib.modules.keys().map(String::as_str).collect();
    school
        .merged
        .school
        .modules
        .iter()
        .flatten()
        .filter(|id| !lib.modules.contains_key(*id))
        .map(|id| {
            Diagnostic::error(
                Code::UnknownModule,
                &file,
                format!("`modules` names the module `{id}`, which modules.yaml does not define"),
            )
            .near_under(source, "modules", id)
            .with_hint(suggestion(id, ids.iter().copied()).unwrap_or_else(|| {
                if ids.is_empty() {
                    "the project has no modules.yaml; run `policyc list modules` after adding one"
                        .into()
                } else {
                    format!("modules: {}", ids.join(", "))
                }
            }))
        })
        .for_each(|d| diags.push(d));
}

fn check_clause_refs(lib: Library<'_>, school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let s = &school.merged.school;
    let library_ids: Vec<&str> = lib.clauses.iter().map(|c| c.meta.id.as_str()).collect();
    // A trust's own clause may be excluded too, but not reworded here.
    let inherited: Vec<&str> = school
        .local_clauses
        .iter()
        .filter(|c| school.inherits(c))
        .map(|c| c.meta.id.as_str())
        .collect();
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
        let (file, source) = school.setting(key);
        let known = library_ids.contains(&id.as_str())
            || (key == "exclude" && inherited.contains(&id.as_str()));
        if !known {
            if !lib.complete {
                continue;
            }
            diags.push(unknown_clause(&file, source, key, id, &library_ids));
        } else if locked.contains(id) && file == school.file {
            let lock_file = school
                .merged
                .provenance
                .get("locked")
                .cloned()
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(Code::LockedClause, file, format!("the clause `{id}` is locked by {lock_file} and cannot be used in `{key}`"))
                    .near_under(source, key, id)
                    .with_hint("the trust requires this wording in every school; ask the trust to change it, or remove it from this list"),
            );
        }
    }
}

fn check_dates(school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let s = &school.merged.school;
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
                let (file, source) = school.setting(key);
                diags.push(
                    Diagnostic::error(
                        Code::BadDate,
                        file,
                        format!("`{key}` has the date `{value}`, which {why}"),
                    )
                    .near_under(source, key, value)
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2026-09-09"),
                );
            }
        }
    }
    if let [("approval", approved, _), ("review_by", review, text)] = parsed.as_slice() {
        if review <= approved {
            let (file, source) = school.setting("review_by");
            diags.push(
                Diagnostic::error(
                    Code::ReviewBeforeApproval,
                    file,
                    format!("the review date {text} is not after the approval date"),
                )
                .near_under(source, "review_by", text)
                .with_hint(
                    "set `review_by` to a date after `approval: date`, usually a year later",
                ),
            );
        }
    }
}

/// Audience keys in the school's per-audience maps must name its audiences.
fn check_audience_keys(lib: Library<'_>, school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let s = &school.merged.school;
    let known: Vec<&str> = lib.audiences.iter().map(|a| a.id.as_str()).collect();
    fn keys<T>(value: &Option<PerAudience<T>>) -> Vec<&str> {
        value
            .as_ref()
            .map(|v| v.audience_keys())
            .unwrap_or_default()
    }
    let mut keyed: Vec<(&str, Vec<&str>)> = vec![
        ("numbering", keys(&s.numbering)),
        ("retention", keys(&s.retention)),
        ("intro", keys(&s.intro)),
        ("layout", keys(&s.layout)),
        ("values", keys(&s.values)),
        ("list_numbering", keys(&s.list_numbering)),
    ];
    for text in s.replace.iter().flat_map(|r| r.values()) {
        keyed.push(("replace", text.audience_keys()));
    }
    if let Some(fields) = s.signature.as_ref().and_then(|x| x.fields.as_ref()) {
        keyed.push((
            "signature.fields",
            fields.keys().map(String::as_str).collect(),
        ));
    }
    for text in s.labels.iter().flat_map(|r| r.values()) {
        keyed.push(("labels", text.audience_keys()));
    }
    for (key, ids) in keyed {
        for id in ids {
            if !known.contains(&id) {
                let (file, source) = school.setting(top_key(key));
                diags.push(unknown_audience(&file, source, key, id, &known));
            }
        }
    }
}

/// The top-level key of a dotted setting path: `signature` of
/// `signature.parent`, which names the file the setting came from.
fn top_key(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

/// Every `locked` id must name a library clause.
fn check_locked(lib: Library<'_>, school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let ids: Vec<&str> = lib.clauses.iter().map(|c| c.meta.id.as_str()).collect();
    let (file, source) = school.setting("locked");
    let locked = school.merged.school.locked.iter().flatten();
    locked
        .filter(|id| !ids.contains(&id.as_str()))
        .map(|id| unknown_clause(&file, source, "locked", id, &ids))
        .for_each(|d| diags.push(d));
}

/// Every key under `labels:` is a label policyc prints, and the subtitle and
/// facts line use only the tokens it fills in.
fn check_labels(school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let Some(labels) = &school.merged.school.labels else {
        return;
    };
    let (file, source) = school.setting("labels");
    for (key, value) in labels {
        if !labels::keys().any(|k| k == key) {
            let hint = match crate::diag::suggestion(key, labels::keys()) {
                Some(s) => format!("{s} The labels are listed in docs/FORMAT.md (Labels)"),
                None => "the labels are listed in docs/FORMAT.md (Labels)".to_string(),
            };
            diags.push(
                Diagnostic::error(
                    Code::UnknownLabel,
                    &file,
                    format!("`labels` has no label `{key}`"),
                )
                .near_under(source, "labels", key)
                .with_hint(hint),
            );
            continue;
        }
        if !crate::model::labels::FILLED.contains(&key.as_str()) {
            continue;
        }
        let texts: Vec<&String> = match value {
            PerAudience::All(text) => vec![text],
            PerAudience::Map(map) => map.values().collect(),
        };
        for text in texts {
            for token in labels::unknown_tokens(text, &labels::TOKENS) {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownLabelToken,
                        &file,
                        format!(
                            "the `{key}` label uses `{{{token}}}`, which policyc does not fill in"
                        ),
                    )
                    .at_text(source, &format!("{{{token}}}"))
                    .with_hint(format!(
                        "use {}",
                        labels::TOKENS.map(|t| format!("`{{{t}}}`")).join(", ")
                    )),
                );
            }
        }
    }
}

/// Every role addendum the school builds names who signs it under
/// `roles:`, and `roles:` names only such addenda.
fn check_roles(policies: &[Policy], school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let s = &school.merged.school;
    let addenda: Vec<&Policy> = policies
        .iter()
        .filter(|p| s.builds(p))
        .filter(|p| p.def.signed_by == SignedBy::Role)
        .collect();
    let roles = s.roles.clone().unwrap_or_default();
    for policy in &addenda {
        if roles.get(&policy.id).is_none_or(Vec::is_empty) {
            let (file, source) = school.setting("policies");
            diags.push(
                Diagnostic::error(
                    Code::RoleSignersMissing,
                    file,
                    format!("`{}` is a role addendum, signed only by the people whose role the school names for it, but `roles:` names none", policy.id),
                )
                .near_under(source, "policies", &policy.id)
                .with_hint(format!("add `roles: {{ {}: [...] }}` with the roster `role` of each person who signs it, such as `[Network manager]`", policy.id)),
            );
        }
    }
    let (file, source) = school.setting("roles");
    for key in roles.keys() {
        if addenda.iter().any(|p| &p.id == key) {
            continue;
        }
        let names = addenda.iter().map(|p| p.id.as_str());
        let hint = match crate::diag::suggestion(key, names) {
            Some(nearest) => nearest,
            None => "list the addendum under `policies:`, or remove it from `roles:`; a role addendum is a policy with `signed_by: role`".to_string(),
        };
        diags.push(
            Diagnostic::warning(
                Code::RoleSignersUnused,
                &file,
                format!("`roles` names `{key}`, which is not a role addendum this school builds, so it decides nothing"),
            )
            .near_under(source, "roles", key)
            .with_hint(hint),
        );
    }
}

/// Every `list_numbering` pattern is one both renderers can print.
fn check_list_numbering(school: SchoolInput<'_>, diags: &mut Diagnostics) {
    let Some(value) = &school.merged.school.list_numbering else {
        return;
    };
    let (file, source) = school.setting("list_numbering");
    let texts: Vec<&String> = match value {
        PerAudience::All(text) => vec![text],
        PerAudience::Map(map) => map.values().collect(),
    };
    texts
        .iter()
        .flat_map(|text| text.split_whitespace())
        .filter_map(|pattern| {
            let why = numbering::check_list_pattern(pattern).err()?;
            Some(
                Diagnostic::error(Code::BadListNumbering, &file, why)
                    .at_text(source, pattern)
                    .with_hint("give one pattern per level, outermost first, e.g. `list_numbering: \"a. i.\"`"),
            )
        })
        .for_each(|d| diags.push(d));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::fixture::{Fixture, SCHOOL};

    fn problems(yaml: &str) -> Vec<Diagnostic> {
        let fixture = Fixture::new(yaml);
        let mut diags = Diagnostics::default();
        check_school(
            fixture.lib(),
            &fixture.policies,
            fixture.input(),
            &mut diags,
        );
        diags.sorted()
    }

    fn codes(yaml: &str) -> Vec<&'static str> {
        problems(yaml).iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn a_complete_school_passes() {
        assert!(problems(SCHOOL).is_empty());
    }

    #[test]
    fn missing_keys_are_named_together() {
        let d = &problems("name: Lonely\n")[0];
        assert_eq!(d.code, "missing-key");
        assert_eq!(
            d.message,
            "school `s` has no `version`, `approval`, `review_by` or `audiences`"
        );
    }

    #[test]
    fn unknown_names_are_caught() {
        let yaml =
            SCHOOL.replace("[staff, ks2]", "[staff, ks9]") + "exclude: [lokc]\npolicies: [aupp]\n";
        assert_eq!(
            codes(&yaml),
            ["unknown-audience", "unknown-clause", "unknown-policy"]
        );
    }

    #[test]
    fn locked_clauses_cannot_be_changed_by_the_school() {
        let yaml = format!("{SCHOOL}locked: [lock]\nexclude: [lock]\n");
        assert_eq!(codes(&yaml), ["locked-clause"]);
    }

    #[test]
    fn dates_must_parse_and_come_in_order() {
        let bad = SCHOOL.replace("2027-09-01", "2027-13-01");
        assert_eq!(codes(&bad), ["bad-date"]);
        let backwards = SCHOOL.replace("2027-09-01", "2026-08-01");
        assert_eq!(codes(&backwards), ["review-before-approval"]);
    }
}
