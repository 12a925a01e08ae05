//! Warnings about resolved documents: pupil pledges above their reading
//! level, and review dates already past.

use crate::check::readability::{self, limits, Stats};
use crate::diag::Code;
use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::document::Document;
use crate::model::files::Layout;
use crate::model::markdown::{each_inline, plain_text, Inline};
use crate::model::project::{Project, ResolvedSchool};

/// Warnings about resolved documents: pupil pledges above their reading
/// level, and review dates already past (`today` as `YYYY-MM-DD`).
pub fn check_documents(
    school: &ResolvedSchool,
    project: &Project,
    today: &str,
    diags: &mut Diagnostics,
) {
    let file = school.files.first().map_or("", String::as_str);
    let source = project.source(file);
    for doc in &school.documents {
        if let Some(d) = reading_level(doc, file, source) {
            diags.push(d);
        }
        check_text_fits(doc, project, diags);
        poster_keywords(doc, project, diags);
        stated_facts(doc, school, project, diags);
    }
    let review = school
        .merged
        .school
        .review_by
        .as_deref()
        .unwrap_or_default();
    if let (Ok(review_date), Ok(today_date)) = (dates::parse(review), dates::parse(today)) {
        if review_date < today_date {
            let owner = school
                .merged
                .provenance
                .get("review_by")
                .map_or(file, String::as_str);
            let text = project.source(owner);
            diags.push(
                Diagnostic::warning(Code::ReviewOverdue, owner, format!("the review date {review} has passed"))
                    .at_key(text, "review_by")
                    .with_hint("review the policy, then set `review_by`, `version` and `approval` to the new values"),
            );
        }
    }
}

/// On a poster, each rule is led by its keyword's big first letter; a rule
/// without a keyword would show a bare bullet there instead.
/// Each fact a clause says it states (`states:` in its front matter) is
/// stated through its placeholder, and one document states each fact
/// through one placeholder only. Exact, not a guess at wording: a school's
/// `replace` that writes the retention period or a contact by hand, or two
/// clauses sending the same duty to two people, are found by what the
/// clauses declare and which values their text really used.
fn stated_facts(
    doc: &Document,
    school: &ResolvedSchool,
    project: &Project,
    diags: &mut Diagnostics,
) {
    let local = project
        .schools
        .iter()
        .find(|s| s.id == school.id)
        .map_or(&[][..], |s| s.local_clauses.as_slice());
    // fact → (placeholder, clause id, its file) for each clause that
    // states it.
    let mut seen: BTreeMap<&str, Vec<(&str, &str, &str)>> = BTreeMap::new();
    for (_, clause) in doc.clauses() {
        let Some(meta) = local
            .iter()
            .chain(&project.clauses)
            .find(|c| c.meta.id == clause.id)
            .map(|c| &c.meta)
        else {
            continue;
        };
        for (fact, placeholder) in &meta.states {
            let used = clause.provenance.placeholders.iter().any(|p| {
                p == placeholder
                    || p.strip_prefix(placeholder.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            });
            if used {
                seen.entry(fact).or_default().push((
                    placeholder,
                    &clause.id,
                    &clause.provenance.file,
                ));
                continue;
            }
            let file = &clause.provenance.file;
            diags.push(
                Diagnostic::warning(
                    Code::FactRestated,
                    file,
                    format!(
                        "in the `{}` document for `{}`, clause `{}` states the {} in its own words, not through `{{{{ {placeholder} }}}}`, so it can say something other than the rest of the document",
                        doc.policy_id,
                        doc.audience_id,
                        clause.id,
                        fact.replace('-', " ")
                    ),
                )
                .near_under(project.source(file), "replace", &clause.id)
                .with_hint(match placeholder.strip_prefix("contacts.") {
                    Some(role) => format!("name them through `{{{{ contacts.{role}.name }}}}` or `{{{{ contacts.{role}.email }}}}` in its wording, so that every mention comes from the one contact"),
                    None => format!("use `{{{{ {placeholder} }}}}` in its wording, so that every statement of it comes from the one value"),
                }),
            );
        }
    }
    for (fact, statements) in seen {
        let mut through: Vec<&str> = statements.iter().map(|(p, _, _)| *p).collect();
        through.sort_unstable();
        through.dedup();
        if through.len() < 2 {
            continue;
        }
        let list: Vec<String> = statements
            .iter()
            .map(|(p, id, _)| format!("`{{{{ {p} }}}}` in `{id}`"))
            .collect();
        // At the last clause that states it differently from the first.
        let (_, _, file) = statements
            .iter()
            .rev()
            .find(|(p, _, _)| *p != statements[0].0)
            .copied()
            .unwrap_or(statements[0]);
        diags.push(
            Diagnostic::warning(
                Code::FactConflict,
                file,
                format!(
                    "the `{}` document for `{}` states the {} two ways: {}",
                    doc.policy_id,
                    doc.audience_id,
                    fact.replace('-', " "),
                    list.join(", ")
                ),
            )
            .at_key(project.source(file), "states")
            .with_hint("state it through one value in every clause: correct the clause's `states:` and its wording"),
        );
    }
}

fn poster_keywords(doc: &Document, project: &Project, diags: &mut Diagnostics) {
    if doc.layout != Layout::Poster {
        return;
    }
    for (_, clause) in doc.clauses() {
        if clause
            .keyword
            .as_deref()
            .is_some_and(|k| !k.trim().is_empty())
        {
            continue;
        }
        let file = &clause.provenance.file;
        diags.push(
            Diagnostic::warning(
                Code::PosterNoKeyword,
                file,
                format!("this rule has no keyword, so the {} poster shows a bullet where its big letter goes", doc.audience_label),
            )
            .at_key(project.source(file), "audiences")
            .with_hint("add a `keyword:` to its front matter: the word the rule is about, such as `keyword: Kind`"),
        );
    }
}

/// The longest link address a document may hold: typst refuses much
/// longer ones, and no reader types them.
pub const MAX_URL_CHARS: usize = 2_000;

/// A word longer than this runs off the printed line.
pub const LONG_WORD_CHARS: usize = 70;

/// A word longer than this cannot be laid out at all.
pub const MAX_WORD_CHARS: usize = 1_000;

/// Links must have an address of a sane length, and words must fit on a
/// line. Each problem is reported in the clause file that holds it.
fn check_text_fits(doc: &Document, project: &Project, diags: &mut Diagnostics) {
    for (_, clause) in doc.clauses() {
        let file = clause.provenance.file.as_str();
        let source = project.source(file);
        each_inline(&clause.blocks, &mut |inline| {
            match inline {
            Inline::Link { url, .. } if url.is_empty() => diags.push(
                Diagnostic::error(Code::BadLink, file, "a link has no address")
                    .at_text(source, "]()")
                    .with_hint("write the address between the brackets, as in `[our policy](https://school.example/policy)`, or remove the link"),
            ),
            Inline::Link { url, .. } if url.chars().count() > MAX_URL_CHARS => diags.push(
                Diagnostic::error(
                    Code::BadLink,
                    file,
                    format!("a link address is {} characters long; the most a document can hold is {MAX_URL_CHARS}", url.chars().count()),
                )
                .at_text(source, &url.chars().take(40).collect::<String>())
                .with_hint("link to the page's short address instead"),
            ),
            Inline::Text { v } | Inline::Code { v } => {
                if let Some(d) = long_word(v, file, source) {
                    diags.push(d);
                }
            }
            _ => {}
        }
        });
    }
}

/// A word too long for a printed line, as an error past [`MAX_WORD_CHARS`]
/// and a warning past [`LONG_WORD_CHARS`].
fn long_word(text: &str, file: &str, source: &str) -> Option<Diagnostic> {
    let word = text.split_whitespace().max_by_key(|w| w.chars().count())?;
    let length = word.chars().count();
    let head: String = word.chars().take(30).collect();
    let d = if length > MAX_WORD_CHARS {
        Diagnostic::error(
            Code::WordTooLong,
            file,
            format!("a word of {length} characters cannot be laid out on a page"),
        )
    } else if length > LONG_WORD_CHARS && !word.contains("://") {
        Diagnostic::warning(
            Code::LongWord,
            file,
            format!("the word `{head}…` ({length} characters) will run off the printed line"),
        )
    } else {
        return None;
    };
    Some(
        d.at_text(source, &head)
            .with_hint("break it with spaces or hyphens, or make a long address a link"),
    )
}

fn reading_level(doc: &Document, file: &str, source: &str) -> Option<Diagnostic> {
    let (max_grade, max_words) = limits(doc.reading)?;
    let mut total = Stats::default();
    let mut hardest: Option<(f64, &str)> = None;
    for clause in doc.sections.iter().flat_map(|s| &s.clauses) {
        let stats = readability::stats(&plain_text(&clause.blocks));
        total.add(stats);
        let score = stats.grade();
        if hardest.is_none_or(|(best, _)| score > best) {
            hardest = Some((score, clause.id.as_str()));
        }
    }
    let (grade, words) = (total.grade(), total.words_per_sentence());
    if grade <= max_grade && words <= max_words {
        return None;
    }
    let hardest = hardest.map(|(_, id)| id).unwrap_or_default();
    Some(
        Diagnostic::warning(
            Code::ReadingLevel,
            file,
            format!(
                "the {} pledges read at grade {grade:.1} with {words:.1} words a sentence (limits: grade {max_grade}, {max_words} words)",
                doc.audience_id
            ),
        )
        .at_key(source, "audiences")
        .with_hint(format!("use shorter sentences and words; the hardest clause is `{hardest}`")),
    )
}
