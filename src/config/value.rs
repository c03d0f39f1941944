//! The values a config can statically evaluate to: a small subset of JavaScript values,
//! each remembering where in the file it came from.

/// A statically evaluated value and the byte offset of the expression it came from
/// (`None` for JSON configs, which carry no positions).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub value: Value,
    pub at: Option<u32>,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    /// JavaScript `undefined`; `missing_env` names the variable when it came from reading an
    /// unset `process.env.NAME`, so the report can say which variable to set.
    Undefined {
        missing_env: Option<String>,
    },
    Array(Vec<Node>),
    Object(Object),
    /// `process.env` itself (destructured or aliased before use).
    ProcessEnv,
    /// Something the evaluator does not guess at: a call, an import, a function…
    Unknown(Why),
}

/// Why a value could not be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Why {
    /// An environment variable read in a way that needs a value (`${process.env.X}`).
    MissingEnv(String),
    /// Anything else, phrased to follow "cannot evaluate key (…)", e.g. `calls getUrl()`.
    Other(String),
}

impl Why {
    pub fn describe(&self) -> String {
        match self {
            Why::MissingEnv(name) => missing_env_message(name),
            Why::Other(reason) => reason.clone(),
        }
    }
}

pub(crate) fn missing_env_message(name: &str) -> String {
    format!("{name} is not set (neither in the environment nor in .env)")
}

/// An object literal after spreads are applied. Later properties win, as in JavaScript.
#[derive(Debug, Clone, Default)]
pub(crate) struct Object {
    /// Key, value and the order in which it was set.
    props: Vec<(String, Node, u32)>,
    /// Spreads that could not be evaluated, with the order in which they were applied: a key
    /// not set after one of them may come from it.
    opaque: Vec<(Why, Option<u32>, u32)>,
    seq: u32,
}

/// What looking a key up in an [`Object`] found.
pub(crate) enum Lookup<'a> {
    Found(&'a Node),
    Missing,
    /// Not known: an unevaluable spread applied after the last literal value could set it.
    Hidden(&'a Why, Option<u32>),
}

impl Object {
    pub fn set(&mut self, key: String, node: Node) {
        self.props.retain(|(k, _, _)| *k != key);
        self.seq += 1;
        self.props.push((key, node, self.seq));
    }

    pub fn add_opaque(&mut self, why: Why, at: Option<u32>) {
        self.seq += 1;
        self.opaque.push((why, at, self.seq));
    }

    /// Applies `{ ...other }`: its properties and its own unknown spreads, in order.
    pub fn spread(&mut self, other: &Object) {
        let (mut props, mut opaque) = (
            other.props.iter().peekable(),
            other.opaque.iter().peekable(),
        );
        loop {
            let prop_first = match (props.peek(), opaque.peek()) {
                (Some(p), Some(o)) => p.2 < o.2,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if prop_first {
                if let Some((k, n, _)) = props.next() {
                    self.set(k.clone(), n.clone());
                }
            } else if let Some((why, at, _)) = opaque.next() {
                self.add_opaque(why.clone(), *at);
            }
        }
    }

    pub fn get(&self, key: &str) -> Lookup<'_> {
        let set_at = self.props.iter().find(|(k, _, _)| k == key);
        let after = set_at.map_or(0, |p| p.2);
        if let Some((why, at, _)) = self.opaque.iter().find(|o| o.2 > after) {
            return Lookup::Hidden(why, *at);
        }
        match set_at {
            Some((_, node, _)) => Lookup::Found(node),
            None => Lookup::Missing,
        }
    }
}

impl Node {
    pub fn new(value: Value, at: Option<u32>) -> Self {
        Node { value, at }
    }

    pub fn unknown(reason: impl Into<String>, at: Option<u32>) -> Self {
        Node::new(Value::Unknown(Why::Other(reason.into())), at)
    }
}

impl Value {
    pub fn undefined() -> Self {
        Value::Undefined { missing_env: None }
    }

    /// JavaScript truthiness, or `None` when it cannot be known.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::Str(s) => !s.is_empty(),
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Bool(b) => *b,
            Value::Null | Value::Undefined { .. } => false,
            Value::Array(_) | Value::Object(_) | Value::ProcessEnv => true,
            Value::Unknown(_) => return None,
        })
    }

    pub fn is_nullish(&self) -> Option<bool> {
        match self {
            Value::Null | Value::Undefined { .. } => Some(true),
            Value::Unknown(_) => None,
            _ => Some(false),
        }
    }

    /// `String(value)`, or why it cannot be computed.
    pub fn to_js_string(&self) -> Result<String, Why> {
        match self {
            Value::Str(s) => Ok(s.clone()),
            Value::Num(n) => Ok(number_to_string(*n)),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Null => Ok("null".to_string()),
            // `${process.env.X}` with X unset would build a string containing "undefined":
            // that is never what the author meant, so say which variable is missing instead.
            Value::Undefined {
                missing_env: Some(name),
            } => Err(Why::MissingEnv(name.clone())),
            Value::Undefined { missing_env: None } => Ok("undefined".to_string()),
            Value::Array(items) => {
                let parts: Result<Vec<String>, Why> = items
                    .iter()
                    .map(|n| match &n.value {
                        Value::Null | Value::Undefined { missing_env: None } => Ok(String::new()),
                        v => v.to_js_string(),
                    })
                    .collect();
                Ok(parts?.join(","))
            }
            Value::Object(_) | Value::ProcessEnv => Ok("[object Object]".to_string()),
            Value::Unknown(why) => Err(why.clone()),
        }
    }

    /// `Number(value)`, or why it cannot be computed.
    pub fn to_js_number(&self) -> Result<f64, Why> {
        match self {
            Value::Num(n) => Ok(*n),
            Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
            Value::Null => Ok(0.0),
            Value::Str(s) => Ok(string_to_number(s)),
            Value::Undefined {
                missing_env: Some(name),
            } => Err(Why::MissingEnv(name.clone())),
            Value::Undefined { missing_env: None } => Ok(f64::NAN),
            Value::Array(_) | Value::Object(_) | Value::ProcessEnv => Ok(f64::NAN),
            Value::Unknown(why) => Err(why.clone()),
        }
    }

    /// A short name of the value's type for messages (`expected a string, found a number`).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Num(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Undefined { .. } => "undefined",
            Value::Array(_) => "an array",
            Value::Object(_) | Value::ProcessEnv => "an object",
            Value::Unknown(_) => "an unknown value",
        }
    }
}

/// JavaScript's `Number(string)`: trimmed decimal, `0x`/`0o`/`0b`, `Infinity`, empty → 0.
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let radix = |prefix: [&str; 2], radix: u32| {
        prefix
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .map(|digits| u64::from_str_radix(digits, radix).map_or(f64::NAN, |v| v as f64))
    };
    if let Some(v) = radix(["0x", "0X"], 16)
        .or_else(|| radix(["0o", "0O"], 8))
        .or_else(|| radix(["0b", "0B"], 2))
    {
        return v;
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    // Rust accepts "inf"/"nan" spellings JavaScript does not.
    if t.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        t.parse::<f64>().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// `parseInt(string, radix)`: leading whitespace and sign, then as many digits as parse.
pub(crate) fn parse_int(s: &str, radix: Option<u32>) -> f64 {
    let mut t = s.trim_start();
    let mut sign = 1.0;
    if let Some(rest) = t.strip_prefix('-') {
        sign = -1.0;
        t = rest;
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest;
    }
    let mut radix = radix.unwrap_or(0);
    if (radix == 0 || radix == 16) && (t.starts_with("0x") || t.starts_with("0X")) {
        t = &t[2..];
        radix = 16;
    }
    if radix == 0 {
        radix = 10;
    }
    if !(2..=36).contains(&radix) {
        return f64::NAN;
    }
    let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let mut value = 0.0f64;
    for c in digits.chars() {
        value = value * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0));
    }
    sign * value
}

/// JavaScript's `String(number)` for the values configs hold (ports, counts).
pub(crate) fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_string()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_convert_like_javascript() {
        assert_eq!(string_to_number(" 5432 "), 5432.0);
        assert_eq!(string_to_number(""), 0.0);
        assert!(string_to_number("inf").is_nan());
        assert!(string_to_number("5432x").is_nan());
        assert_eq!(string_to_number("0x10"), 16.0);
        assert_eq!(parse_int("5432abc", None), 5432.0);
        assert_eq!(parse_int("  -12", Some(10)), -12.0);
        assert!(parse_int("abc", None).is_nan());
        assert_eq!(number_to_string(5432.0), "5432");
        assert_eq!(number_to_string(-0.5), "-0.5");
        assert_eq!(number_to_string(f64::NAN), "NaN");
    }

    #[test]
    fn later_keys_win_and_opaque_spreads_hide_missing_keys() {
        let mut o = Object::default();
        o.set("a".into(), Node::new(Value::Num(1.0), None));
        o.set("a".into(), Node::new(Value::Num(2.0), None));
        assert!(
            matches!(o.get("a"), Lookup::Found(Node { value: Value::Num(n), .. }) if *n == 2.0)
        );
        assert!(matches!(o.get("b"), Lookup::Missing));
        o.add_opaque(Why::Other("calls extra()".into()), Some(3));
        assert!(matches!(o.get("b"), Lookup::Hidden(_, Some(3))));
        // `{ a: 2, ...extra() }`: extra() may override `a`.
        assert!(matches!(o.get("a"), Lookup::Hidden(_, Some(3))));
        o.set("a".into(), Node::new(Value::Num(3.0), None));
        assert!(
            matches!(o.get("a"), Lookup::Found(Node { value: Value::Num(n), .. }) if *n == 3.0)
        );
    }
}
