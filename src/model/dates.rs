//! Dates as schools write them (`YYYY-MM-DD`) and as readers see them
//! ("9 September 2026").

use time::{macros::format_description, Date};

/// Parses `YYYY-MM-DD`, or says what is wrong with it.
pub fn parse(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let shaped = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit()));
    if !shaped {
        return Err("is not in the form YYYY-MM-DD".into());
    }
    let date = Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|_| "is not a day in the calendar".to_string())?;
    if !(1900..=2999).contains(&date.year()) {
        return Err(format!(
            "is in the year {}, not a year a school policy is dated (use a year from 1900 to 2999)",
            &text[..4]
        ));
    }
    Ok(date)
}

pub use crate::model::files::DateOrder;

impl DateOrder {
    /// The order in words, with the setting that chooses it.
    pub fn words(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day/month/year (dmy)",
            DateOrder::Mdy => "month/day/year (mdy)",
            DateOrder::Ymd => "year/month/day (ymd)",
        }
    }
}

/// The day of a date as a person or a spreadsheet writes it (`19/09/2026`,
/// `19.9.2026`, `2026-09-19`, with any time after it), read in `order`, as
/// `YYYY-MM-DD`; or what is wrong with it. A two-digit year is refused:
/// `19/09/26` could be 1926 or 2026.
pub fn parse_written(text: &str, order: DateOrder) -> Result<String, String> {
    let day = text.trim().split([' ', 'T']).next().unwrap_or_default();
    let parts: Vec<&str> = day.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err("is not a date".into());
    };
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("is not a date".into());
    }
    let (y, m, d) = if a.len() == 4 {
        (*a, *b, *c)
    } else {
        match order {
            DateOrder::Dmy => (*c, *b, *a),
            DateOrder::Mdy => (*c, *a, *b),
            DateOrder::Ymd => (*a, *b, *c),
        }
    };
    if y.len() != 4 {
        return Err(
            "has a two-digit year, which could be in either century: write the year in full".into(),
        );
    }
    if m.len() > 2 || d.len() > 2 {
        return Err("is not a date".into());
    }
    let iso = format!("{y}-{m:0>2}-{d:0>2}");
    parse(&iso).map(|_| iso).map_err(|why| match why.as_str() {
        "is not a day in the calendar" => format!(
            "is not a day in the calendar when read as {}",
            order.words()
        ),
        _ => why,
    })
}

/// `YYYY-MM-DD` for a date.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// "9 September 2026" for `2026-09-09`; the text unchanged if it is not a date.
pub fn long_form(text: &str) -> String {
    match parse(text) {
        Ok(date) => format!("{} {} {}", date.day(), date.month(), date.year()),
        Err(_) => text.to_string(),
    }
}

/// A date as the facts line gives it: to the day ("9 September 2026"),
/// the month ("September 2026") or the year ("2026").
pub fn long_form_to(text: &str, precision: crate::model::files::DatePrecision) -> String {
    use crate::model::files::DatePrecision;
    match (parse(text), precision) {
        (Ok(date), DatePrecision::Month) => format!("{} {}", date.month(), date.year()),
        (Ok(date), DatePrecision::Year) => date.year().to_string(),
        _ => long_form(text),
    }
}

/// Reads a date back from the long form [`long_form`] writes ("9 September
/// 2026"), or from `YYYY-MM-DD`; `None` for anything else.
pub fn parse_long_form(text: &str) -> Option<Date> {
    if let Ok(date) = parse(text) {
        return Some(date);
    }
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let month = (1..=12u8)
        .filter_map(|n| time::Month::try_from(n).ok())
        .find(|m| m.to_string() == *month)?;
    let year: i32 = year.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(long_form("2026-09-09"), "9 September 2026");
        assert!(parse("2026-02-30").is_err());
        assert!(parse("9/9/2026").is_err());
    }

    #[test]
    fn long_form_reads_back() {
        let date = parse("2027-09-01").unwrap();
        assert_eq!(parse_long_form(&long_form("2027-09-01")), Some(date));
        assert_eq!(parse_long_form("2027-09-01"), Some(date));
        assert_eq!(parse_long_form("31 February 2027"), None);
        assert_eq!(parse_long_form("soon"), None);
    }

    #[test]
    fn written_dates_are_read_in_the_project_s_order() {
        let uk = DateOrder::Dmy;
        assert_eq!(parse_written("19/09/2026", uk).as_deref(), Ok("2026-09-19"));
        assert_eq!(
            parse_written("1.9.2026 08:00", uk).as_deref(),
            Ok("2026-09-01")
        );
        assert_eq!(
            parse_written("2026-09-19", DateOrder::Mdy).as_deref(),
            Ok("2026-09-19")
        );
        assert_eq!(
            parse_written("9/19/2026", DateOrder::Mdy).as_deref(),
            Ok("2026-09-19")
        );
        assert!(parse_written("09/19/2026", uk)
            .unwrap_err()
            .contains("not a day in the calendar when read as day/month/year"));
        assert!(parse_written("19/09/26", uk)
            .unwrap_err()
            .contains("two-digit year"));
        assert!(parse_written("31/02/2026", uk).is_err());
        assert!(parse_written("yesterday", uk).is_err());
        assert!(parse_written("19/09/2026/1", uk).is_err());
    }
}
