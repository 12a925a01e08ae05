//! A document's slip links: where an audience's public slip sends its
//! readers, worked out from the school's `sign_with`, `full_text_url` and
//! `online_form` while the document is resolved.

use crate::model::key::DocKey;
use crate::model::key::OutputKind;
use crate::model::per_audience::PerAudience;
use crate::model::slips::{sign_with, OnlineForm, SignWith, SlipLinks};

/// The address of the whole text for one document: `full_text_url` as the
/// school gives it, or, when it ends with `/` (the address where `out/` is
/// published), that address with the document's web page after it
/// (`wrenfold/aup-ks2.html`).
pub fn full_text_address(setting: &str, page: &str) -> String {
    if setting.ends_with('/') {
        format!("{setting}{page}")
    } else {
        setting.to_string()
    }
}

/// The links of `key`'s slip, when the school has its audience sign one
/// and says where the whole text is.
pub fn slip_links(settings: SlipSettings<'_>, key: &DocKey, doc_id: &str) -> Option<SlipLinks> {
    if sign_with(settings.sign_with, &key.audience) != SignWith::Slip {
        return None;
    }
    let setting = settings.full_text_url?.get(&key.audience)?;
    Some(SlipLinks {
        full_text: full_text_address(setting, &key.output_path(OutputKind::Html)),
        form: settings.online_form.map(|f| f.prefilled(doc_id, None)),
    })
}

/// A school file's sign-off keys, as merged.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlipSettings<'a> {
    /// `sign_with`.
    pub sign_with: Option<&'a PerAudience<SignWith>>,
    /// `full_text_url`.
    pub full_text_url: Option<&'a PerAudience<String>>,
    /// `online_form`.
    pub online_form: Option<&'a OnlineForm>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_address_gets_the_page_name() {
        assert_eq!(
            full_text_address("https://h.example/p/", "wrenfold/aup-ks2.html"),
            "https://h.example/p/wrenfold/aup-ks2.html"
        );
        assert_eq!(
            full_text_address("https://h.example/aup", "wrenfold/aup-ks2.html"),
            "https://h.example/aup"
        );
    }
}
