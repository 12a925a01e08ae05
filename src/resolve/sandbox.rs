//! What clause text may do with placeholders, and how much it may produce.
//!
//! Clause, intro and `replace` text is written by school staff, not
//! programmers, and must never be able to stop a build. minijinja bounds the
//! number of steps (fuel), not memory: `{{ "ab " * 30000000 }}` or a chain
//! of `~` doubles a string until the allocator gives up and the process
//! aborts. So placeholder text gets a small language: values, the tests and
//! filters below, comparisons and `{% if %}` / `{% elif %}` / `{% else %}`
//! / `{% endif %}`; no operator that builds strings (`*`, `~`, `+`), no
//! loops, assignments, macros or includes; and at most [`MAX_FILLED_BYTES`]
//! of output per text.

use std::io::Write;

use minijinja::{filters, tests as jinja_tests, Environment, UndefinedBehavior};

/// The most text one clause (or intro, or replacement) may produce once its
/// placeholders are filled: far more than any real clause.
pub const MAX_FILLED_BYTES: usize = 64 * 1024;

/// The statements clause text may use.
const STATEMENTS: [&str; 4] = ["if", "elif", "else", "endif"];

/// The filters clause text may use.
pub const FILTERS: [&str; 7] = [
    "lower",
    "upper",
    "title",
    "capitalize",
    "trim",
    "default",
    "d",
];

/// An environment with only the tests and filters placeholder text may use.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(50_000));
    env.add_test("defined", jinja_tests::is_defined);
    env.add_test("undefined", jinja_tests::is_undefined);
    env.add_test("none", jinja_tests::is_none);
    env.add_filter("lower", filters::lower);
    env.add_filter("upper", filters::upper);
    env.add_filter("title", filters::title);
    env.add_filter("capitalize", filters::capitalize);
    env.add_filter("trim", filters::trim);
    env.add_filter("default", filters::default);
    env.add_filter("d", filters::default);
    env
}

/// Something placeholder text may not do, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAllowed {
    /// Byte offset of the tag.
    pub offset: usize,
    /// The tag's content, for the message.
    pub tag: String,
    /// What is not allowed, as a phrase.
    pub what: String,
}

/// Checks that every `{{ … }}` and `{% … %}` in `text` keeps to the small
/// language above.
pub fn check(text: &str) -> Result<(), NotAllowed> {
    let mut from = 0;
    while let Some(found) = text[from..].find('{') {
        let open = from + found;
        let kind = text[open + 1..].chars().next();
        let close = match kind {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                from = open + 1;
                continue;
            }
        };
        let body_start = open + 2;
        let Some(len) = tag_length(&text[body_start..], close) else {
            // An unclosed tag: minijinja reports the syntax error itself.
            return Ok(());
        };
        let body = &text[body_start..body_start + len];
        from = body_start + len + 2;
        if kind == Some('#') {
            continue;
        }
        let inner = body.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        let refuse = |what: String| NotAllowed {
            offset: open,
            tag: inner.to_string(),
            what,
        };
        if kind == Some('%') {
            let word = inner.split_whitespace().next().unwrap_or("");
            if !STATEMENTS.contains(&word) {
                return Err(refuse(format!("the statement `{word}`")));
            }
        }
        if let Some(op) = outside_strings(inner).find(|c| matches!(c, '*' | '~' | '+')) {
            return Err(refuse(format!("the operator `{op}`")));
        }
        if let Some(name) = filters_used(inner).find(|f| !FILTERS.contains(&f.as_str())) {
            return Err(refuse(format!("the filter `{name}`")));
        }
    }
    Ok(())
}

/// The length of a tag's body up to `close`, skipping string literals.
fn tag_length(rest: &str, close: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if rest[i..].starts_with(close) => return Some(i),
            None => {}
        }
    }
    None
}

/// The characters of a tag body that are not inside string literals.
fn outside_strings(body: &str) -> impl Iterator<Item = char> + '_ {
    let mut quote = None;
    body.chars().filter(move |&c| match quote {
        Some(q) => {
            if c == q {
                quote = None;
            }
            false
        }
        None if c == '"' || c == '\'' => {
            quote = Some(c);
            false
        }
        None => true,
    })
}

/// The names after each `|` in a tag body.
fn filters_used(body: &str) -> impl Iterator<Item = String> + '_ {
    let plain: String = outside_strings(body).collect();
    let names: Vec<String> = plain
        .split('|')
        .skip(1)
        .map(|f| {
            f.trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect();
    names.into_iter()
}

/// Collects rendered text, refusing more than `limit` bytes.
pub struct CappedWriter {
    bytes: Vec<u8>,
    limit: usize,
    /// Whether the text went over the limit.
    pub overflowed: bool,
}

impl CappedWriter {
    /// An empty writer that takes at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self {
            bytes: Vec::new(),
            limit,
            overflowed: false,
        }
    }

    /// The text written.
    pub fn into_string(self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.overflowed = true;
            return Err(std::io::Error::other("the text is too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_conditions_and_small_filters_are_allowed() {
        let ok = "{{ school.name }} {% if audience == \"staff\" %}a{% elif x is defined %}b{% else %}c{% endif %} {{ contacts.dpo.name | upper }} {{ vars.x | default(\"1 * 2 ~ 3\") }} {# any * comment #}";
        assert_eq!(check(ok), Ok(()));
    }

    #[test]
    fn string_building_loops_and_other_filters_are_not() {
        let refused = |text: &str| check(text).unwrap_err().what;
        assert_eq!(refused("{{ \"ab \" * 30000000 }}"), "the operator `*`");
        assert_eq!(refused("x {{ a ~ a }}"), "the operator `~`");
        assert_eq!(
            refused("{{ \"a\"|indent(10000000000000) }}"),
            "the filter `indent`"
        );
        assert_eq!(refused("{{ range(10)|join(\"x\") }}"), "the filter `join`");
        assert_eq!(
            refused("{% for i in x %}{% endfor %}"),
            "the statement `for`"
        );
        assert_eq!(refused("{%- set x = 1 %}"), "the statement `set`");
        assert_eq!(
            check("{{ x }").map_err(|e| e.what),
            Ok(()),
            "left to minijinja"
        );
    }

    #[test]
    fn the_writer_stops_at_its_limit() {
        let mut w = CappedWriter::new(4);
        assert!(w.write_all(b"abcd").is_ok());
        assert!(w.write_all(b"e").is_err());
        assert!(w.overflowed);
        assert_eq!(w.into_string(), "abcd");
    }
}
