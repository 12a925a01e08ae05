//! The layouts: a typst template for PDF and minijinja templates for HTML.
//! They are built into the binary; a project overrides one by putting a file
//! of the same name in its `templates/` folder.
//!
//! A layout is named by [`Layout`], never by a string: a lookup cannot miss,
//! and a new layout is one variant with its file name and built-in text.

/// One of the layouts policyc renders with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layout {
    /// The typst layout for a document (`policy.typ`).
    Policy,
    /// The page frame every HTML layout extends (`base.html`).
    Base,
    /// The HTML layout for a document (`document.html`).
    Document,
    /// The HTML layout for a school's pack index (`pack.html`).
    Pack,
    /// The HTML layout for the trust index (`trust.html`).
    Trust,
    /// The HTML layout for a school's summary of changes (`changes.html`).
    Changes,
    /// The HTML layout for a school's departures from its trust
    /// (`departures.html`).
    Departures,
    /// The typst layout for a sign-off register (`register.typ`).
    Register,
    /// The typst layout for an acknowledgement slip (`slip.typ`).
    Slip,
    /// The typst layout for a print file's cover page (`print-cover.typ`).
    PrintCover,
    /// The typst layout for a class's consent list (`consent-list.typ`).
    ConsentList,
    /// The typst layout for consent return slips, several to a sheet
    /// (`return-slips.typ`).
    ReturnSlips,
}

impl Layout {
    /// Every layout, in the order their texts are hashed (which a change
    /// would change every build's hash).
    pub const ALL: [Layout; 12] = [
        Layout::Policy,
        Layout::Base,
        Layout::Document,
        Layout::Pack,
        Layout::Trust,
        Layout::Changes,
        Layout::Departures,
        Layout::Register,
        Layout::Slip,
        Layout::PrintCover,
        Layout::ConsentList,
        Layout::ReturnSlips,
    ];

    /// The layouts a document's own outputs are made with: its PDF layout,
    /// the HTML layouts its page uses and the slip's layout.
    pub const DOCUMENT: [Layout; 4] =
        [Layout::Policy, Layout::Base, Layout::Document, Layout::Slip];

    /// The file name, in `templates/` and as minijinja knows it.
    pub fn file_name(self) -> &'static str {
        match self {
            Layout::Policy => "policy.typ",
            Layout::Base => "base.html",
            Layout::Document => "document.html",
            Layout::Pack => "pack.html",
            Layout::Trust => "trust.html",
            Layout::Changes => "changes.html",
            Layout::Departures => "departures.html",
            Layout::Register => "register.typ",
            Layout::Slip => "slip.typ",
            Layout::PrintCover => "print-cover.typ",
            Layout::ConsentList => "consent-list.typ",
            Layout::ReturnSlips => "return-slips.typ",
        }
    }

    /// The text built into policyc.
    pub fn builtin_text(self) -> &'static str {
        match self {
            Layout::Policy => include_str!("../../templates/policy.typ"),
            Layout::Base => include_str!("../../templates/base.html"),
            Layout::Document => include_str!("../../templates/document.html"),
            Layout::Pack => include_str!("../../templates/pack.html"),
            Layout::Trust => include_str!("../../templates/trust.html"),
            Layout::Changes => include_str!("../../templates/changes.html"),
            Layout::Departures => include_str!("../../templates/departures.html"),
            Layout::Register => include_str!("../../templates/register.typ"),
            Layout::Slip => include_str!("../../templates/slip.typ"),
            Layout::PrintCover => include_str!("../../templates/print-cover.typ"),
            Layout::ConsentList => include_str!("../../templates/consent-list.typ"),
            Layout::ReturnSlips => include_str!("../../templates/return-slips.typ"),
        }
    }

    /// Whether it is an HTML layout (each may extend `base.html`).
    pub fn is_html(self) -> bool {
        self.file_name().ends_with(".html")
    }
}

/// One layout and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The template source.
    pub text: String,
    /// Project-relative path of an override, or `<built-in>/<name>`.
    pub file: String,
}

/// The layouts in force for a project: one per [`Layout`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    /// Indexed by the layout's place in [`Layout::ALL`].
    entries: [Template; 12],
}

impl Templates {
    /// The layouts built into policyc.
    pub fn builtin() -> Self {
        Self {
            entries: Layout::ALL.map(|layout| Template {
                text: layout.builtin_text().to_string(),
                file: format!("<built-in>/{}", layout.file_name()),
            }),
        }
    }

    /// Replaces a layout with a project's own.
    pub fn set(&mut self, layout: Layout, text: String, file: String) {
        self.entries[layout as usize] = Template { text, file };
    }

    /// The layout in force for `layout`.
    pub fn get(&self, layout: Layout) -> &Template {
        &self.entries[layout as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_is_listed_once_at_its_own_index() {
        for (i, layout) in Layout::ALL.iter().enumerate() {
            assert_eq!(*layout as usize, i, "{layout:?}");
        }
        let templates = Templates::builtin();
        assert_eq!(templates.get(Layout::Slip).file, "<built-in>/slip.typ");
        assert!(templates.get(Layout::Base).text.contains("<html"));
    }

    #[test]
    fn an_override_replaces_only_its_own_layout() {
        let mut templates = Templates::builtin();
        templates.set(Layout::Pack, "x".into(), "templates/pack.html".into());
        assert_eq!(templates.get(Layout::Pack).text, "x");
        assert_eq!(
            templates.get(Layout::Trust),
            Templates::builtin().get(Layout::Trust)
        );
    }
}
