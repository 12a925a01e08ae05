//! The PDF export options policyc always uses: the standards asked for,
//! and an identifier, creator and timestamp pinned so that the same inputs
//! give the same bytes.

use typst::foundations::Datetime;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::build::PdfSettings;
use crate::model::dates;
use crate::model::document::Document;

/// PDF options for a layout other than a policy document's.
pub(super) fn pdf_options_for(
    ident: &str,
    date: &str,
    settings: PdfSettings,
) -> Result<PdfOptions, String> {
    let mut list = Vec::new();
    if settings.standards.archival {
        list.push(PdfStandard::A_2b);
    }
    if settings.standards.accessible {
        list.push(PdfStandard::Ua_1);
    }
    let standards = PdfStandards::new(&list).map_err(|e| e.message().to_string())?;
    Ok(PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_string()),
        creator: typst::foundations::Smart::Custom(Some(format!(
            "policyc {}",
            env!("CARGO_PKG_VERSION")
        ))),
        timestamp: timestamp(settings.epoch, date),
        standards,
        ..PdfOptions::default()
    })
}

/// PDF options pinned for reproducible output: the creator string, the
/// identifier and the timestamp all come from the document.
pub(super) fn pdf_options(doc: &Document, settings: PdfSettings) -> Result<PdfOptions, String> {
    let ident = format!("{}/{}/{}", doc.school_id, doc.policy_id, doc.audience_id);
    pdf_options_for(&ident, &doc.meta.approved_on, settings)
}

/// The PDF's creation date: `epoch` (seconds since 1970, from
/// `SOURCE_DATE_EPOCH`) when given, else the approval date at midnight UTC.
fn timestamp(epoch: Option<i64>, approved_on: &str) -> Option<Timestamp> {
    if let Some(epoch) = epoch {
        let t = time::OffsetDateTime::from_unix_timestamp(epoch).ok()?;
        let dt = Datetime::from_ymd_hms(
            t.year(),
            t.month().into(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        )?;
        return Some(Timestamp::new_utc(dt));
    }
    let date = dates::parse(approved_on).ok()?;
    let dt = Datetime::from_ymd_hms(date.year(), date.month().into(), date.day(), 0, 0, 0)?;
    Some(Timestamp::new_utc(dt))
}
