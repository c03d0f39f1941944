//! Interval literals: drizzle-kit keeps `'1 hour'` as written, PostgreSQL prints the value
//! in its own style (`'01:00:00'`, `'1 day 02:00:00'`, `'1 year 2 mons'`).

/// The value of an interval literal in PostgreSQL's output style, or `None` when the
/// text is not a form this parser knows (ISO 8601 `P1D`, `@` verbose style…).
pub fn canonical(literal: &str) -> Option<String> {
    let (mut months, mut days, mut micros) = (0i64, 0i64, 0i128);
    let words: Vec<&str> = literal.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.contains(':') {
            micros += clock(w)?;
            i += 1;
            continue;
        }
        // `1 hour`, `1hour`, `-2 days`, `1.5 hours`
        let split = w.find(|c: char| c.is_alphabetic()).unwrap_or(w.len());
        let (number, unit) = if split < w.len() {
            (&w[..split], &w[split..])
        } else {
            // A bare number is seconds.
            match words.get(i + 1) {
                Some(unit) if !unit.contains(':') => {
                    i += 1;
                    (w, *unit)
                }
                _ => (w, "seconds"),
            }
        };
        let value: f64 = number.parse().ok()?;
        let unit = unit.trim_end_matches(',').to_lowercase();
        const US: f64 = 1_000_000.0;
        let unit = match unit.as_str() {
            "ms" | "msec" | "msecs" | "milliseconds" => "millisecond",
            "us" | "usec" | "usecs" | "microseconds" => "microsecond",
            other => other.trim_end_matches('s'),
        };
        match unit {
            "year" | "yr" | "y" => months += (value * 12.0) as i64,
            "mon" | "month" => months += value as i64,
            "week" | "w" => days += (value * 7.0) as i64,
            "day" | "d" => days += value as i64,
            "hour" | "hr" | "h" => micros += (value * 3600.0 * US).round() as i128,
            "minute" | "min" | "m" => micros += (value * 60.0 * US).round() as i128,
            "second" | "sec" | "" => micros += (value * US).round() as i128,
            "millisecond" => micros += (value * 1000.0).round() as i128,
            "microsecond" => micros += value.round() as i128,
            _ => return None,
        }
        i += 1;
    }
    Some(render(months, days, micros))
}

/// `HH:MM[:SS[.ffffff]]` in microseconds.
fn clock(w: &str) -> Option<i128> {
    let (neg, w) = match w.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, w),
    };
    let parts: Vec<&str> = w.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (h.parse::<i128>().ok()?, m.parse::<i128>().ok()?, 0.0),
        [h, m, s] => (
            h.parse::<i128>().ok()?,
            m.parse::<i128>().ok()?,
            s.parse::<f64>().ok()?,
        ),
        _ => return None,
    };
    let us = (h * 3600 + m * 60) * 1_000_000 + (s * 1_000_000.0).round() as i128;
    Some(if neg { -us } else { us })
}

fn render(months: i64, days: i64, micros: i128) -> String {
    let mut parts = Vec::new();
    let plural =
        |n: i64, one: &str, many: &str| format!("{n} {}", if n.abs() == 1 { one } else { many });
    let (years, mons) = (months / 12, months % 12);
    if years != 0 {
        parts.push(plural(years, "year", "years"));
    }
    if mons != 0 {
        parts.push(plural(mons, "mon", "mons"));
    }
    if days != 0 {
        parts.push(plural(days, "day", "days"));
    }
    if micros != 0 || parts.is_empty() {
        let sign = if micros < 0 { "-" } else { "" };
        let us = micros.abs();
        let secs = us / 1_000_000;
        let frac = us % 1_000_000;
        let mut clock = format!(
            "{sign}{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        );
        if frac != 0 {
            let f = format!("{frac:06}");
            clock.push('.');
            clock.push_str(f.trim_end_matches('0'));
        }
        parts.push(clock);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn drizzle_and_postgres_spellings_meet() {
        let pairs = [
            ("1 hour", "01:00:00"),
            ("1 day", "1 day"),
            ("2 days 3 hours", "2 days 03:00:00"),
            ("1 year 2 months", "1 year 2 mons"),
            ("90 minutes", "01:30:00"),
            ("1.5 seconds", "00:00:01.5"),
            ("1 week", "7 days"),
            ("0", "00:00:00"),
        ];
        for (a, b) in pairs {
            assert_eq!(canonical(a), canonical(b), "{a} vs {b}");
        }
        assert_ne!(canonical("1 hour"), canonical("2 hours"));
    }

    #[test]
    fn unknown_forms_are_left_alone() {
        assert_eq!(canonical("P1D"), None);
        assert_eq!(canonical(""), None);
        assert_eq!(canonical("1 fortnight"), None);
    }
}
