//! What a school chooses for collecting signatures: the whole document or
//! a one-page acknowledgement slip, where readers find the whole text, and
//! the online form whose link can be pre-filled.

use serde::{Deserialize, Serialize};

use crate::model::per_audience::PerAudience;

/// What people of an audience sign on paper (`sign_with:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignWith {
    /// The whole document, with its signature block at the end.
    #[default]
    Document,
    /// A one-page slip that quotes the title, version and document ID and
    /// says where to read the whole text.
    Slip,
}

/// An online form that takes signatures, and the names of the query
/// parameters that pre-fill its questions (`online_form:`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineForm {
    /// The form's address, as its "get pre-filled link" page gives it,
    /// without the pre-filled answers.
    pub url: String,
    /// The query parameter that pre-fills the person's name (Google Forms:
    /// `entry.123456`; Microsoft Forms: the question's `r…` id).
    #[serde(default)]
    pub name_param: Option<String>,
    /// The query parameter that pre-fills the document ID.
    #[serde(default)]
    pub document_param: Option<String>,
}

/// Characters left as they are in a query value; everything else is
/// percent-encoded (RFC 3986 unreserved characters).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl OnlineForm {
    /// The form's address with the document ID, and the name when given,
    /// pre-filled. Values are percent-encoded, so a name cannot add or
    /// change a parameter.
    pub fn prefilled(&self, doc_id: &str, name: Option<&str>) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(param) = self.document_param.as_deref() {
            pairs.push((param, doc_id));
        }
        if let (Some(param), Some(name)) = (self.name_param.as_deref(), name) {
            pairs.push((param, name));
        }
        let (base, fragment) = match self.url.split_once('#') {
            Some((base, fragment)) => (base, Some(fragment)),
            None => (self.url.as_str(), None),
        };
        let mut url = base.to_string();
        for (param, value) in pairs {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.extend(percent_encoding::utf8_percent_encode(param, QUERY_VALUE));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(value, QUERY_VALUE));
        }
        if let Some(fragment) = fragment {
            url.push('#');
            url.push_str(fragment);
        }
        url
    }
}

/// Whether `url` is an absolute `http` or `https` address with a host and
/// no spaces or control characters: what a slip may print and encode.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Where an audience's public slip sends its readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlipLinks {
    /// The address of the whole text.
    pub full_text: String,
    /// The online form with only the document ID pre-filled, if the school
    /// has one: never a name, since this is public.
    pub form: Option<String>,
}

/// What an audience signs, given the school's `sign_with`.
pub fn sign_with(setting: Option<&PerAudience<SignWith>>, audience: &str) -> SignWith {
    setting
        .and_then(|s| s.get(audience))
        .copied()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> OnlineForm {
        OnlineForm {
            url: "https://docs.example/forms/d/e/abc/viewform?usp=pp_url".into(),
            name_param: Some("entry.111".into()),
            document_param: Some("entry.222".into()),
        }
    }

    #[test]
    fn values_are_percent_encoded_so_a_name_cannot_add_a_parameter() {
        let url = form().prefilled("B43E-A7C2", Some("Siân & Co=1?#x"));
        assert_eq!(
            url,
            "https://docs.example/forms/d/e/abc/viewform?usp=pp_url&entry.222=B43E-A7C2&entry.111=Si%C3%A2n%20%26%20Co%3D1%3F%23x"
        );
    }

    #[test]
    fn the_public_link_carries_only_the_document_id() {
        let url = form().prefilled("B43E-A7C2", None);
        assert!(url.ends_with("?usp=pp_url&entry.222=B43E-A7C2"), "{url}");
        let bare = OnlineForm {
            url: "https://forms.example/r/xyz#top".into(),
            name_param: None,
            document_param: Some("r9".into()),
        };
        assert_eq!(
            bare.prefilled("AB-CD", Some("Anyone")),
            "https://forms.example/r/xyz?r9=AB-CD#top"
        );
    }

    #[test]
    fn only_web_addresses_with_a_host_pass() {
        assert!(is_web_address("https://hollybrook.example/policies/"));
        assert!(!is_web_address("javascript:alert(1)"));
        assert!(!is_web_address("https:///nohost"));
        assert!(!is_web_address("https://a.example/with space"));
        assert!(!is_web_address("hollybrook.example"));
    }
}
