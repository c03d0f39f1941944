//! Date and time literals: drizzle-kit keeps `'2020-01-01'` or `'12:00'` as written,
//! PostgreSQL prints the value it stored (`'2020-01-01 00:00:00'` for a timestamp,
//! `'12:00:00'`), in ISO style and, for `timestamp with time zone`, in UTC (the catalog
//! reader pins DateStyle, IntervalStyle and TimeZone).

use crate::civil_time::{days_from_civil, utc};

/// The value of `literal` as PostgreSQL prints it for canonical type `ty` (`date`,
/// `timestamp(3)`, `time with time zone`…), or `None` when this is not a form known here
/// (special values such as `now`, `BC`, more fractional digits than the type keeps, a
/// `timestamp with time zone` without an offset, which depends on the writer's TimeZone).
pub fn canonical(literal: &str, ty: &str) -> Option<String> {
    let (base, precision, with_tz) = split_type(ty)?;
    let text = literal.trim();
    match base {
        "date" => {
            let (y, m, d) = date(text)?;
            Some(format!("{y:04}-{m:02}-{d:02}"))
        }
        "time" if !with_tz => {
            let (clock, rest) = time(text)?;
            rest.is_empty().then(|| clock.render(precision))?
        }
        "timestamp" => {
            let (day, rest) = text
                .split_once([' ', 'T'])
                .map_or((text, ""), |(d, r)| (d, r.trim()));
            let (y, m, d) = date(day)?;
            let (clock, offset) = if rest.is_empty() {
                (Clock::default(), "")
            } else {
                time(rest)?
            };
            let offset_secs = offset_seconds(offset)?;
            if !with_tz {
                // PostgreSQL ignores an offset written for a timestamp without time zone.
                let day = format!("{y:04}-{m:02}-{d:02}");
                return Some(format!("{day} {}", clock.render(precision)?));
            }
            let offset_secs = offset_secs.filter(|_| !offset.is_empty())?;
            let secs = days_from_civil(y, m, d) * 86_400 + clock.seconds() - offset_secs;
            let stamp = utc(secs * 1000);
            let frac = clock.fraction(precision)?;
            Some(format!("{stamp}{frac}+00"))
        }
        _ => None,
    }
}

/// (`timestamp`, precision, with time zone) of a canonical type name.
fn split_type(ty: &str) -> Option<(&str, Option<usize>, bool)> {
    let (head, with_tz) = match ty.strip_suffix(" with time zone") {
        Some(h) => (h, true),
        None => (ty, false),
    };
    let (base, precision) = match head.split_once('(') {
        Some((b, p)) => (b, Some(p.strip_suffix(')')?.parse().ok()?)),
        None => (head, None),
    };
    Some((base, precision, with_tz))
}

/// `YYYY-MM-DD` (month and day may have one digit).
fn date(s: &str) -> Option<(i64, u32, u32)> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() < 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month).contains(&d).then_some((y, m, d))
}

#[derive(Default)]
struct Clock {
    hour: u32,
    minute: u32,
    second: u32,
    /// Fractional digits as written, without trailing zeros.
    fraction: String,
}

impl Clock {
    fn seconds(&self) -> i64 {
        i64::from(self.hour * 3600 + self.minute * 60 + self.second)
    }

    /// `.5` for the fraction; `None` when it has more digits than `precision` keeps
    /// (PostgreSQL rounds those).
    fn fraction(&self, precision: Option<usize>) -> Option<String> {
        if self.fraction.len() > precision.unwrap_or(6) {
            return None;
        }
        Some(if self.fraction.is_empty() {
            String::new()
        } else {
            format!(".{}", self.fraction)
        })
    }

    fn render(&self, precision: Option<usize>) -> Option<String> {
        Some(format!(
            "{:02}:{:02}:{:02}{}",
            self.hour,
            self.minute,
            self.second,
            self.fraction(precision)?
        ))
    }
}

/// `HH:MM[:SS[.ffffff]]` and what follows it (an offset, or nothing).
fn time(s: &str) -> Option<(Clock, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(s.len());
    let (clock, rest) = (&s[..end], s[end..].trim());
    let mut parts = clock.split(':');
    let hour: u32 = number(parts.next()?)?;
    let minute: u32 = number(parts.next()?)?;
    let (second, fraction) = match parts.next() {
        Some(sec) => match sec.split_once('.') {
            Some((whole, frac)) if frac.chars().all(|c| c.is_ascii_digit()) => {
                (number(whole)?, frac.trim_end_matches('0').to_string())
            }
            Some(_) => return None,
            None => (number(sec)?, String::new()),
        },
        None => (0, String::new()),
    };
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((
        Clock {
            hour,
            minute,
            second,
            fraction,
        },
        rest,
    ))
}

fn number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `+05`, `-03:30`, `+0530`, `Z` in seconds east of UTC; `Some(0)` for no offset.
fn offset_seconds(s: &str) -> Option<Option<i64>> {
    if s.is_empty() {
        return Some(Some(0));
    }
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return Some(Some(0));
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => (&rest[..2], &rest[2..]),
        None => (rest, "0"),
    };
    let (h, m): (i64, i64) = (number(h)?.into(), number(m)?.into());
    Some(Some(sign * (h * 3600 + m * 60)))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    /// drizzle-kit's text and what PostgreSQL 15 printed for it (DateStyle ISO, TimeZone
    /// UTC).
    #[test]
    fn drizzle_and_postgres_spellings_meet() {
        let cases = [
            ("2020-01-01", "timestamp", "2020-01-01 00:00:00"),
            ("2020-01-01 05:00:00+05", "timestamp", "2020-01-01 05:00:00"),
            (
                "2020-01-01 05:00:00+05",
                "timestamp with time zone",
                "2020-01-01 00:00:00+00",
            ),
            (
                "2020-01-01 00:00:00+00",
                "timestamp with time zone",
                "2020-01-01 00:00:00+00",
            ),
            ("2020-1-2 3:4", "timestamp", "2020-01-02 03:04:00"),
            (
                "2020-01-01T10:00:00.500",
                "timestamp(3)",
                "2020-01-01 10:00:00.5",
            ),
            ("12:00", "time", "12:00:00"),
            ("2020-01-01", "date", "2020-01-01"),
        ];
        for (written, ty, printed) in cases {
            assert_eq!(
                canonical(written, ty).as_deref(),
                Some(printed),
                "{written}"
            );
            assert_eq!(
                canonical(printed, ty).as_deref(),
                Some(printed),
                "{printed}"
            );
        }
    }

    #[test]
    fn unknown_forms_are_left_alone() {
        for (literal, ty) in [
            ("now", "timestamp"),
            ("2020-01-01 00:00:00", "timestamp with time zone"),
            ("2020-01-01 00:00:00.1234567", "timestamp"),
            ("2020-01-01 00:00:00.1234", "timestamp(3)"),
            ("2020-02-30", "date"),
            ("12:00+01", "time with time zone"),
            ("24:00", "time"),
            ("", "date"),
            ("2020-01-01", "text"),
        ] {
            assert_eq!(canonical(literal, ty), None, "{literal} {ty}");
        }
        assert_ne!(
            canonical("2020-01-01", "timestamp"),
            canonical("2020-01-02", "timestamp")
        );
    }
}
