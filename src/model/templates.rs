//! The layouts: a typst template for PDF and minijinja templates for HTML.
//! They are built into the binary; a project overrides one by putting a file
//! of the same name in its `templates/` folder.

use std::collections::BTreeMap;

/// The built-in typst layout for a document.
pub const POLICY_TYP: &str = include_str!("../../templates/policy.typ");
/// The built-in page frame every HTML layout extends.
pub const BASE_HTML: &str = include_str!("../../templates/base.html");
/// The built-in HTML layout for a document.
pub const DOCUMENT_HTML: &str = include_str!("../../templates/document.html");
/// The built-in HTML layout for a school's pack index.
pub const PACK_HTML: &str = include_str!("../../templates/pack.html");
/// The built-in HTML layout for the trust index.
pub const TRUST_HTML: &str = include_str!("../../templates/trust.html");
/// The built-in HTML layout for a school's summary of changes.
pub const CHANGES_HTML: &str = include_str!("../../templates/changes.html");
/// The built-in HTML layout for a school's departures from its trust.
pub const DEPARTURES_HTML: &str = include_str!("../../templates/departures.html");
/// The built-in typst layout for a sign-off register.
pub const REGISTER_TYP: &str = include_str!("../../templates/register.typ");
/// The built-in typst layout for an acknowledgement slip.
pub const SLIP_TYP: &str = include_str!("../../templates/slip.typ");
/// The built-in typst layout for a print file's cover page.
pub const PRINT_COVER_TYP: &str = include_str!("../../templates/print-cover.typ");
/// The built-in typst layout for a class's consent list.
pub const CONSENT_LIST_TYP: &str = include_str!("../../templates/consent-list.typ");
/// The built-in typst layout for consent return slips, several to a sheet.
pub const RETURN_SLIPS_TYP: &str = include_str!("../../templates/return-slips.typ");

/// One layout and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The template source.
    pub text: String,
    /// Project-relative path of an override, or `<built-in>/<name>`.
    pub file: String,
}

/// The layouts in force for a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    entries: BTreeMap<&'static str, Template>,
}

impl Templates {
    /// The file names a project may override.
    pub const NAMES: [&'static str; 12] = [
        "policy.typ",
        "base.html",
        "document.html",
        "pack.html",
        "trust.html",
        "changes.html",
        "departures.html",
        "register.typ",
        "slip.typ",
        "print-cover.typ",
        "consent-list.typ",
        "return-slips.typ",
    ];

    /// The layouts built into policyc.
    pub fn builtin() -> Self {
        let entries = Self::NAMES
            .iter()
            .zip([
                POLICY_TYP,
                BASE_HTML,
                DOCUMENT_HTML,
                PACK_HTML,
                TRUST_HTML,
                CHANGES_HTML,
                DEPARTURES_HTML,
                REGISTER_TYP,
                SLIP_TYP,
                PRINT_COVER_TYP,
                CONSENT_LIST_TYP,
                RETURN_SLIPS_TYP,
            ])
            .map(|(name, text)| {
                let file = format!("<built-in>/{name}");
                (
                    *name,
                    Template {
                        text: text.to_string(),
                        file,
                    },
                )
            })
            .collect();
        Self { entries }
    }

    /// Replaces a layout with a project's own.
    pub fn set(&mut self, name: &'static str, text: String, file: String) {
        self.entries.insert(name, Template { text, file });
    }

    /// The layouts a document's own outputs are made with: its PDF layout,
    /// the HTML layouts its page uses and the slip's layout.
    pub const DOCUMENT: [&'static str; 4] =
        ["policy.typ", "base.html", "document.html", "slip.typ"];

    /// The HTML layouts, each of which may extend `base.html`.
    pub fn html_names() -> impl Iterator<Item = &'static str> {
        Self::NAMES.into_iter().filter(|n| n.ends_with(".html"))
    }

    /// The layout called `name` (one of [`Templates::NAMES`]).
    pub fn get(&self, name: &str) -> &Template {
        match self.entries.get(name) {
            Some(template) => template,
            None => unreachable!("templates are only looked up by the names in Templates::NAMES"),
        }
    }
}
