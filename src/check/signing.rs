//! The sign-off keys of a school file: `sign_with`, `full_text_url` and
//! `online_form`. A slip needs an address for the whole text, and every
//! address a slip prints or encodes in a QR code must be a web address.

use crate::check::messages::unknown_audience;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::project::{Library, SchoolInput};
use crate::model::slips::{is_web_address, sign_with, SignWith};

/// Problems with the school's sign-off keys.
pub fn check_signing(lib: Library<'_>, school: SchoolInput<'_>, diags: &mut Diagnostics) {
    // Sorted and with repeats dropped before they join the run.
    let mut found = Vec::new();
    let s = &school.merged.school;
    let known: Vec<&str> = lib.audiences.iter().map(|a| a.id.as_str()).collect();
    let keyed = [
        ("sign_with", s.sign_with.as_ref().map(|v| v.audience_keys())),
        (
            "full_text_url",
            s.full_text_url.as_ref().map(|v| v.audience_keys()),
        ),
        (
            "privacy_notice_url",
            s.privacy_notice_url.as_ref().map(|v| v.audience_keys()),
        ),
    ];
    for (key, ids) in keyed {
        for id in ids.unwrap_or_default() {
            if !known.contains(&id) {
                let (file, source) = school.setting(key);
                found.push(unknown_audience(&file, source, key, id, &known));
            }
        }
    }
    for audience in s.audiences.iter().flatten() {
        let url = s.full_text_url.as_ref().and_then(|u| u.get(audience));
        match url {
            Some(url) if !is_web_address(url) => {
                found.push(not_a_web_address(school, "full_text_url", url));
            }
            None if sign_with(s.sign_with.as_ref(), audience) == SignWith::Slip => {
                found.push(slip_without_address(school, audience));
            }
            _ => {}
        }
    }
    for audience in s.audiences.iter().flatten() {
        let url = s.privacy_notice_url.as_ref().and_then(|u| u.get(audience));
        if let Some(url) = url.filter(|u| !is_web_address(u)) {
            found.push(not_a_web_address(school, "privacy_notice_url", url));
        }
    }
    if let Some(form) = &s.online_form {
        if !is_web_address(&form.url) {
            found.push(not_a_web_address(school, "online_form", &form.url));
        }
    }
    found.sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
    found.dedup_by(|a, b| a.message == b.message);
    diags.extend(found);
}

/// An address a slip would print that is not a web address.
fn not_a_web_address(school: SchoolInput<'_>, key: &str, url: &str) -> Diagnostic {
    let (file, source) = school.setting(key);
    Diagnostic::error(
        Code::BadWebAddress,
        &file,
        format!("`{key}` gives `{url}`, which is not a web address a reader can open"),
    )
    .at_text(source, url)
    .with_hint("write the whole address, starting with https:// and with no spaces, as the browser shows it")
}

/// An audience that signs a slip, with nowhere to read the whole text.
fn slip_without_address(school: SchoolInput<'_>, audience: &str) -> Diagnostic {
    let (file, source) = school.setting("sign_with");
    Diagnostic::error(
        Code::SlipWithoutAddress,
        &file,
        format!("`{audience}` signs a slip (`sign_with`), but `full_text_url` gives no address where they can read the whole text"),
    )
    .at_key(source, &format!("sign_with.{audience}"))
    .with_hint(format!("add `full_text_url: https://…/` (the address where out/ is published, or the page itself) to {}", school.file))
}
