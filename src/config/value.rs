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

pub(crate) use crate::js::missing_env_message;

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

pub(crate) use crate::js::string_to_number;

#[cfg(test)]
mod tests {
    use super::*;

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
