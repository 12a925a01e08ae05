//! The sign-off report as a self-contained web page: a table of counts per
//! school and document and, when names were asked for, who is outstanding.
//! With names it is personal data, written only outside `out/`.

use std::fmt::Write;

use crate::model::html_text::escape;
use crate::signoff::status::{SignOffReport, Standing};
use crate::signoff::text::counts;

/// The report as one HTML page; `today` is printed under the heading.
pub fn render_html(report: &SignOffReport, names: bool, today: &str) -> String {
    let mut out = String::from(HEAD);
    let _ = writeln!(
        out,
        "<h1>Sign-off</h1>\n<p class=\"meta\">As of {}.{}</p>",
        escape(today),
        if names {
            " This page names people: keep it securely and never publish it."
        } else {
            ""
        }
    );
    for school in &report.schools {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&school.school_name));
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Audience</th><th scope=\"col\">Document ID</th><th scope=\"col\">Signed</th><th scope=\"col\">Progress</th></tr></thead>\n<tbody>\n");
        for doc in &school.documents {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td><progress max=\"{}\" value=\"{}\">{} of {}</progress></td></tr>",
                escape(&doc.title),
                escape(&doc.audience_label),
                escape(&doc.doc_id),
                escape(&counts(doc)),
                doc.expected,
                doc.signed,
                doc.signed,
                doc.expected
            );
        }
        out.push_str("</tbody>\n</table>\n");
        for doc in school
            .documents
            .iter()
            .filter(|d| names && d.outstanding() > 0)
        {
            let _ = writeln!(
                out,
                "<h3>Still to sign: {} ({})</h3>\n<ul>",
                escape(&doc.title),
                escape(&doc.audience_label)
            );
            for person in doc.people.iter().filter(|p| p.status != Standing::Signed) {
                let group = person
                    .child
                    .as_ref()
                    .map(|c| format!("for {c}"))
                    .or(person.class.clone());
                let group = group
                    .map(|g| format!(" ({})", escape(&g)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "<li>{}{group}: {}</li>",
                    escape(&person.name),
                    person.status.label()
                );
            }
            out.push_str("</ul>\n");
        }
    }
    if report.schools.is_empty() {
        out.push_str("<p>No rosters: add people/&lt;school&gt;/roster.csv.</p>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const HEAD: &str = "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>Sign-off</title>\n<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #9aa7b4}.meta{color:#5c6b7a}h1,h2,h3{color:#1d3557}</style>\n</head>\n<body>\n<main>\n";

#[cfg(test)]
mod tests {
    use crate::model::html_text::escape;

    #[test]
    fn markup_in_a_name_stays_text() {
        assert_eq!(
            escape("]}<script>x</script>"),
            "]}&lt;script&gt;x&lt;/script&gt;"
        );
    }
}
