//! The placeholder filler: fills `{{ … }}` placeholders and `{% … %}`
//! conditions in clause and policy text from a school's values, escapes
//! every value as Markdown so it stays literal, parses the result, and turns
//! template errors into diagnostics at the line of the file to fix.

use minijinja::{Environment, ErrorKind};
use serde_json::{json, Value as Json};

use crate::diag::Code;
use crate::diag::{find_token, Diagnostic, Diagnostics};
use crate::model::document::Meta;
use crate::model::files::{Audience, SchoolFile};
use crate::model::markdown::{self, Block, Inline};
use crate::model::project::SchoolInput;
use crate::model::systems::{processor_list, transfer_list, System};
use crate::resolve::markdown::parse;
use crate::resolve::sandbox::{self, CappedWriter, MAX_FILLED_BYTES};

/// The stand-in `{{ processors }}` fills in: the paragraph that holds only
/// it becomes the list of the systems holding the reader's information.
const PROCESSORS: &str = "\u{E000}processors\u{E000}";
/// The stand-in `{{ transfers }}` fills in: the systems that send the
/// reader's information outside the UK. Empty (false in a condition) when
/// none does.
const TRANSFERS: &str = "\u{E000}transfers\u{E000}";

/// The systems that hold `audience`'s information, in key order.
fn holding<'s>(s: &'s SchoolFile, audience: &Audience) -> Vec<&'s System> {
    s.systems
        .iter()
        .flatten()
        .map(|(_, entry)| &entry.0)
        .filter(|system| system.holds_data_of(&audience.id, &audience.members))
        .collect()
}

/// The lists a notice's stand-ins become, for one audience.
pub(crate) fn fact_lists(s: &SchoolFile, audience: &Audience) -> Vec<(&'static str, Block)> {
    let systems = holding(s, audience);
    vec![
        (PROCESSORS, processor_list(systems.iter().copied())),
        (TRANSFERS, transfer_list(systems.iter().copied())),
    ]
}

/// The values placeholders can name.
pub(crate) fn context(s: &SchoolFile, audience: &Audience, title: &str, meta: &Meta) -> Json {
    let name = s.name.clone().unwrap_or_default();
    let systems: Option<std::collections::BTreeMap<&String, &String>> =
        s.systems.as_ref().map(|all| {
            all.iter()
                .map(|(kind, entry)| (kind, &entry.name))
                .collect()
        });
    let sends_abroad = holding(s, audience)
        .iter()
        .any(|system| system.outside_uk.is_some());
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
        "systems": systems,
        "processors": PROCESSORS,
        "transfers": if sends_abroad { TRANSFERS } else { "" },
        "retention_schedule": s.retention_schedule,
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
pub(crate) struct PlaceholderFiller<'a> {
    env: Environment<'static>,
    context: minijinja::Value,
    json: Json,
    school: SchoolInput<'a>,
    lists: Vec<(&'static str, Block)>,
}

impl<'a> PlaceholderFiller<'a> {
    /// A filler for one document's values (see [`context`]).
    pub(crate) fn new(context: &Json, school: SchoolInput<'a>) -> Self {
        let mut env = sandbox::environment();
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
            lists: Vec::new(),
        }
    }

    /// The filler with the lists that stand-ins such as `{{ processors }}`
    /// become (see [`fact_lists`]).
    pub(crate) fn with_lists(mut self, lists: Vec<(&'static str, Block)>) -> Self {
        self.lists = lists;
        self
    }

    /// Renders `text`, which stands in `file` at `anchor`.
    pub(crate) fn fill(
        &self,
        text: &str,
        file: &str,
        anchor: Anchor<'_>,
    ) -> Result<(Vec<Block>, Vec<String>), Diagnostic> {
        if let Err(refused) = sandbox::check(text) {
            let (line, column, excerpt) = self.place(text, file, anchor, refused.offset);
            let mut d = Diagnostic::error(
                Code::PlaceholderNotAllowed,
                file,
                format!("`{}` uses {}, which placeholders may not use", refused.tag, refused.what),
            )
            .with_hint(format!(
                "placeholders insert values (`{{{{ school.name }}}}`) and choose text with `{{% if %}}`, `{{% elif %}}`, `{{% else %}}` and `{{% endif %}}`; the filters allowed are {}",
                sandbox::FILTERS[..6].join(", ")
            ));
            d.line = Some(line);
            d.column = Some(column);
            d.excerpt = Some(excerpt);
            return Err(d);
        }
        let template = self
            .env
            .template_from_named_str(file, text)
            .map_err(|e| self.template_error(&e, text, file, anchor))?;
        let mut used: Vec<String> = template.undeclared_variables(true).into_iter().collect();
        used.sort();
        let mut out = CappedWriter::new(MAX_FILLED_BYTES);
        if let Err(e) = template.render_captured_to(&self.context, &mut out) {
            if out.overflowed {
                let (line, column, excerpt) = self.place(text, file, anchor, 0);
                let mut d = Diagnostic::error(
                    Code::TextTooLong,
                    file,
                    format!(
                        "this text is longer than {} KB once its placeholders are filled",
                        MAX_FILLED_BYTES / 1024
                    ),
                )
                .with_hint("a clause states one thing in a few sentences: shorten it, or check that a value in the school file is not pasted in many times");
                d.line = Some(line);
                d.column = Some(column);
                d.excerpt = Some(excerpt);
                return Err(d);
            }
            return Err(self.template_error(&e, text, file, anchor));
        }
        let blocks = parse(&out.into_string());
        match self.expand_lists(blocks) {
            Ok(blocks) => Ok((blocks, used)),
            Err(stand_in) => {
                let name = stand_in.trim_matches('\u{E000}');
                let at = text.find(name).unwrap_or(0);
                let (line, column, excerpt) = self.place(text, file, anchor, at);
                let mut d = Diagnostic::error(
                    Code::ListNotAlone,
                    file,
                    format!("`{{{{ {name} }}}}` prints a list, so it must stand alone as a paragraph"),
                )
                .with_hint(format!("put `{{{{ {name} }}}}` on a line of its own, with a blank line before and after it, and introduce it in the sentence before"));
                d.line = Some(line);
                d.column = Some(column);
                d.excerpt = Some(excerpt);
                Err(d)
            }
        }
    }

    /// Turns each paragraph that is only a list's stand-in into the list;
    /// a stand-in anywhere else comes back as the error.
    fn expand_lists(&self, blocks: Vec<Block>) -> Result<Vec<Block>, &'static str> {
        blocks
            .into_iter()
            .map(|block| {
                if let Block::Para { c } = &block {
                    if let [Inline::Text { v }] = c.as_slice() {
                        if let Some((_, list)) = self.lists.iter().find(|(s, _)| v.trim() == *s) {
                            return Ok(list.clone());
                        }
                    }
                }
                let text = markdown::plain_text(std::slice::from_ref(&block));
                match [PROCESSORS, TRANSFERS]
                    .into_iter()
                    .find(|s| text.contains(s))
                {
                    Some(stand_in) => Err(stand_in),
                    None => Ok(block),
                }
            })
            .collect()
    }

    /// The file line, column and line text of byte `offset` of `text`,
    /// which stands in `file` at `anchor`.
    fn place(
        &self,
        text: &str,
        file: &str,
        anchor: Anchor<'_>,
        offset: usize,
    ) -> (usize, usize, String) {
        let source = self.school.sources.get(file).map_or("", String::as_str);
        let (line_in_text, column_in_text) = crate::diag::line_column(text, offset);
        let first_line = match anchor {
            Anchor::Line(line) => line,
            Anchor::Key(key) => value_line(source, key, text),
        };
        let line = first_line + line_in_text - 1;
        let text_line = text.lines().nth(line_in_text - 1).unwrap_or("");
        match source.lines().nth(line - 1) {
            Some(file_line) if !text_line.is_empty() && file_line.contains(text_line.trim()) => {
                let indent = file_line.find(text_line.trim()).unwrap_or(0);
                let lead = text_line.len() - text_line.trim_start().len();
                let column =
                    file_line[..indent].chars().count() + column_in_text.saturating_sub(lead);
                (line, column.max(1), file_line.to_string())
            }
            _ => (line, column_in_text, text_line.to_string()),
        }
    }

    /// Renders a text field of a YAML file (intro, agreement, values).
    pub(crate) fn field(
        &self,
        text: &str,
        file: &str,
        key: &str,
        problems: &mut Diagnostics,
    ) -> Vec<Block> {
        match self.fill(text, file, Anchor::Key(key)) {
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
                Code::UndefinedPlaceholder,
                format!("`{expr}` is not defined for school `{}`", self.school.id),
                self.undefined_hint(&expr),
            ),
            ErrorKind::SyntaxError => (
                Code::TemplateSyntax,
                format!("placeholder syntax error: {}", err.detail().unwrap_or("invalid syntax")),
                "placeholders look like `{{ school.name }}`; conditions like `{% if audience == \"staff\" %}…{% endif %}`".to_string(),
            ),
            ErrorKind::OutOfFuel => (
                Code::TemplateTooSlow,
                "the placeholders in this text take too long to fill".to_string(),
                "simplify the loops in this text".to_string(),
            ),
            _ => (
                Code::TemplateError,
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
pub(crate) enum Anchor<'k> {
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

/// The fields a contact has.
const CONTACT_FIELDS: [&str; 3] = ["name", "email", "title"];

/// Where to add a missing value, given the defined path before it.
fn missing_value_hint(parent: &[&str], part: &str, file: &str) -> String {
    match parent {
        [] if matches!(
            part,
            "systems" | "contacts" | "vars" | "retention" | "retention_schedule"
        ) =>
        {
            format!("the school has no `{part}:`; add it to {file} or its trust file (see docs/FORMAT.md)")
        }
        ["contacts"] => format!(
            "add `{part}: {{ name: …, email: … }}` under `contacts:` in {file} or its trust file"
        ),
        ["contacts", role] => match crate::diag::suggestion(part, CONTACT_FIELDS) {
            Some(hint) if !CONTACT_FIELDS.contains(&part) => {
                format!("{hint} a contact has `name`, `email` and `title`")
            }
            _ => format!("add `{part}: …` to `contacts: {role}:` in {file} or its trust file"),
        },
        ["trust"] => format!("add `trust: {{ {part}: … }}` to {file} or its trust file"),
        ["systems"] => format!("add `{part}: …` under `systems:` in {file} or its trust file"),
        ["vars"] => format!("add `{part}: …` under `vars:` in {file}"),
        ["retention_schedule"] => format!(
            "add `{part}: for …` (how long these records are kept) under `retention_schedule:` in {file} or its trust file"
        ),
        ["retention"] | ["retention", ..] => {
            format!("add `retention:` for this audience in {file} or its trust file")
        }
        [] | ["school"] => format!("add `{part}:` to {file} or its trust file"),
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
