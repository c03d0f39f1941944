//! Dates for people: journal `when` values are milliseconds since the epoch, shown in UTC.

/// `2024-05-01 12:30:00` (UTC) from milliseconds since the epoch.
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// What JavaScript's `Date.prototype.toISOString` prints for milliseconds since the
/// epoch (`1970-01-01T00:00:00.000Z`); `None` outside its range.
pub fn iso(ms: f64) -> Option<String> {
    if !ms.is_finite() || ms.abs() > 8.64e15 || ms.fract() != 0.0 {
        return None;
    }
    let ms = ms as i64;
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{}{:06}", if y < 0 { '-' } else { '+' }, y.abs())
    };
    Some(format!(
        "{year}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem % 3_600_000 / 60_000,
        rem % 60_000 / 1000,
        rem % 1000
    ))
}

/// Milliseconds since the epoch of the ISO forms `Date` parses the same in every time
/// zone: `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM[:SS[.mmm]]` ending in `Z` or `±HH:MM`.
pub fn parse_iso(text: &str) -> Option<f64> {
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (num(y)?, num(m)? as u32, num(d)? as u32);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset_min) = if let Some(c) = time.strip_suffix('Z') {
            (c, 0)
        } else {
            // A time without a zone is local time: not the same everywhere.
            let at = time.rfind(['+', '-'])?;
            let (c, zone) = time.split_at(at);
            let (h, mi) = zone[1..].split_once(':')?;
            let minutes = num(h)? * 60 + num(mi)?;
            (
                c,
                if zone.starts_with('-') {
                    -minutes
                } else {
                    minutes
                },
            )
        };
        let (hms, frac) = match clock.split_once('.') {
            Some((a, f)) if f.len() == 3 => (a, num(f)?),
            Some(_) => return None,
            None => (clock, 0),
        };
        let mut fields = hms.split(':');
        let h = num(fields.next()?)?;
        let mi = num(fields.next()?)?;
        let sec = fields.next().map(num).unwrap_or(Some(0))?;
        if fields.next().is_some() || h > 24 || mi > 59 || sec > 59 {
            return None;
        }
        ms += ((h * 60 + mi - offset_min) * 60 + sec) * 1000 + frac;
    }
    Some(ms as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::{days_from_civil, iso, parse_iso, utc};

    #[test]
    fn iso_round_trips_as_javascript_prints_it() {
        assert_eq!(iso(0.0).as_deref(), Some("1970-01-01T00:00:00.000Z"));
        assert_eq!(
            iso(1_714_566_600_123.0).as_deref(),
            Some("2024-05-01T12:30:00.123Z")
        );
        assert_eq!(iso(-1.0).as_deref(), Some("1969-12-31T23:59:59.999Z"));
        assert_eq!(iso(f64::NAN), None);
        assert_eq!(parse_iso("2024-05-01"), Some(1_714_521_600_000.0));
        assert_eq!(
            parse_iso("2024-05-01T12:30:00.123Z"),
            Some(1_714_566_600_123.0)
        );
        assert_eq!(
            parse_iso("2024-05-01T14:30:00+02:00"),
            Some(1_714_566_600_000.0)
        );
        assert_eq!(parse_iso("2024-05-01T12:30:00"), None);
        assert_eq!(parse_iso("May 1, 2024"), None);
        assert_eq!(parse_iso("2024-13-01"), None);
    }

    #[test]
    fn day_counts_round_trip() {
        for (y, m, d, days) in [(1970, 1, 1, 0), (2000, 3, 1, 11_017), (1969, 12, 31, -1)] {
            assert_eq!(days_from_civil(y, m, d), days);
            assert_eq!(
                utc(days * 86_400_000)[..10],
                format!("{y:04}-{m:02}-{d:02}")
            );
        }
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_700_000_000_000), "2023-11-14 22:13:20");
        assert_eq!(utc(1_714_564_800_000), "2024-05-01 12:00:00");
        assert_eq!(utc(-1), "1969-12-31 23:59:59");
    }
}
