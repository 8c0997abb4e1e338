//! Reading dates (`2026-12-22`) and instants (RFC 3339, `2026-12-22T04:05:00Z`) off the wire in
//! the browser. chrono's own parsers understand any strftime pattern and cost the app kilobytes of
//! wasm over a slow first load; the API only ever carries these two shapes, so the browser build
//! reads them with the small functions here (`#[cfg_attr(target_arch = "wasm32", serde(...))]` on
//! the fields). The server keeps chrono's parsers, which also produce its `datetime.format`
//! errors; the tests check that both read every value chrono writes the same way.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer};

/// `n` ASCII digits at the start of `s` as a number.
fn number(s: &[u8], n: usize) -> Option<u32> {
    let digits = s.get(..n)?;
    digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD` at the start of `s`.
fn date_prefix(s: &[u8]) -> Option<NaiveDate> {
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(number(s, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&s[5..], 2)?, number(&s[8..], 2)?)
}

/// A calendar date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    (s.len() == 10).then(|| date_prefix(s.as_bytes())).flatten()
}

/// An RFC 3339 instant: `YYYY-MM-DDTHH:MM:SS`, optional fraction (up to 9 digits), then `Z` or
/// `±HH:MM`; `t`, `z` and a space for `T` are read as chrono reads them.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let date = date_prefix(b)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (hour, minute, second) = (number(&b[11..], 2)?, number(&b[14..], 2)?, number(&b[17..], 2)?);
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = number(fraction, len)? * 10u32.pow(9 - len as u32);
        rest = &fraction[len..];
    }
    let offset_seconds = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[*h1, *h2], 2)?, number(&[*m1, *m2], 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let minutes = i64::from(hours * 60 + minutes);
            if *sign == b'-' {
                -minutes * 60
            } else {
                minutes * 60
            }
        }
        _ => return None,
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    Some(local.checked_sub_signed(TimeDelta::seconds(offset_seconds))?.and_utc())
}

fn read<'de, D: Deserializer<'de>, T>(deserializer: D, parse: fn(&str) -> Option<T>, expected: &'static str) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| serde::de::Error::custom(expected))
}

/// `#[serde(deserialize_with = "wire_time::date")]`.
pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    read(deserializer, parse_date, "a date YYYY-MM-DD")
}

/// `#[serde(deserialize_with = "wire_time::instant")]`.
pub fn instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    read(deserializer, parse_instant, "an RFC 3339 instant")
}

/// `#[serde(default, deserialize_with = "wire_time::optional_instant")]`: `null` or an instant.
pub fn optional_instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => parse_instant(&text).map(Some).ok_or_else(|| serde::de::Error::custom("an RFC 3339 instant")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono_instant(s: &str) -> Option<DateTime<Utc>> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }

    #[test]
    fn reads_the_shapes_the_api_sends() {
        assert_eq!(parse_date("2026-12-22"), NaiveDate::from_ymd_opt(2026, 12, 22));
        for s in ["2026-12-22T04:05:00Z", "2026-12-22T09:05:00+05:00", "2026-12-22t04:05:00.5z", "2026-12-21T23:05:00.123456789-05:00", "2026-12-22 04:05:00Z"]
        {
            assert_eq!(parse_instant(s), chrono_instant(s), "{s}");
            assert!(parse_instant(s).is_some(), "{s}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_date_or_instant() {
        for s in [
            "",
            "2026-02-30",
            "2026-1-01",
            "20261222",
            "2026-12-22T",
            "2026-12-22T25:00:00Z",
            "2026-12-22T04:05:00",
            "2026-12-22T04:05:00+0500",
            "2026-12-22T04:05:00.Z",
            "2026-12-22T04:05:00.1234567890Z",
            "2026-12-22T04:05:00Zjunk",
            "２０２６-12-22T04:05:00Z",
        ] {
            assert_eq!(parse_instant(s), None, "{s}");
        }
        for s in ["2026-02-30", "2026-12-2", "2026/12/22", "2026-12-22 "] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_chrono_on_everything_chrono_writes(seconds in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000, offset in -720i32..=840) {
            let at = DateTime::from_timestamp(seconds, nanos).unwrap();
            let json = serde_json::to_value(at).unwrap();
            let written = json.as_str().unwrap();
            prop_assert_eq!(parse_instant(written), Some(at));
            let shifted = at.with_timezone(&chrono::FixedOffset::east_opt(offset * 60).unwrap()).to_rfc3339();
            prop_assert_eq!(parse_instant(&shifted), chrono_instant(&shifted));
            let date = at.date_naive();
            prop_assert_eq!(parse_date(&date.to_string()), Some(date));
        }

        #[test]
        fn never_reads_differently_from_chrono(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|z|[+-][0-9]{2}:[0-9]{2})") {
            if let Some(ours) = parse_instant(&s) {
                prop_assert_eq!(Some(ours), chrono_instant(&s));
            }
        }
    }
}
