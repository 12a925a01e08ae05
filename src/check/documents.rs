//! Warnings about resolved documents: pupil pledges above their reading
//! level, and review dates already past.

use crate::check::readability::{self, limits, Stats};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::dates;
use crate::model::document::Document;
use crate::model::markdown::plain_text;
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
                Diagnostic::warning("review-overdue", owner, format!("the review date {review} has passed"))
                    .near(text, "review_by")
                    .with_hint("review the policy, then set `review_by`, `version` and `approval` to the new values"),
            );
        }
    }
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
            "reading-level",
            file,
            format!(
                "the {} pledges read at grade {grade:.1} with {words:.1} words a sentence (limits: grade {max_grade}, {max_words} words)",
                doc.audience_id
            ),
        )
        .near(source, "audiences")
        .with_hint(format!("use shorter sentences and words; the hardest clause is `{hardest}`")),
    )
}
