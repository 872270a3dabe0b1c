//! The one error every parser in the domain returns.
//!
//! A parse error carries a stable snake_case `code` (the API puts it in its error body, clients
//! switch on it) and a sentence for people. The code names what was wrong with the value, not
//! where it came from: the edge that called the parser knows the field.

use std::fmt;

/// A value that could not be parsed into a domain type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    code: &'static str,
    message: String,
}

impl ParseError {
    /// An error with a stable `code` (snake_case) and a human-readable `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// The stable snake_case code, such as `invalid_airport_code`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The sentence that explains the error.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Implements the text conversions of a domain value written as text and parsed by its
/// `parse(&str)`: `FromStr`, `TryFrom<String>` (so serde parses it on the way in) and
/// `From<value> for String` through its `Display` (so serde writes it on the way out).
macro_rules! text_conversions {
    ($type:ty) => {
        impl std::str::FromStr for $type {
            type Err = $crate::ParseError;
            fn from_str(raw: &str) -> Result<Self, $crate::ParseError> {
                Self::parse(raw)
            }
        }

        impl TryFrom<String> for $type {
            type Error = $crate::ParseError;
            fn try_from(raw: String) -> Result<Self, $crate::ParseError> {
                Self::parse(&raw)
            }
        }

        impl From<$type> for String {
            fn from(value: $type) -> String {
                value.to_string()
            }
        }
    };
}
pub(crate) use text_conversions;

/// Trims `raw`, collapses inner runs of white space to one space, and checks that the result
/// has between 1 and `chars_max` characters, none of them a control character.
///
/// Shared by every free-text value people type: passenger and customer names.
pub(crate) fn clean_text(
    raw: &str,
    chars_max: usize,
    code: &'static str,
    what: &str,
) -> Result<String, ParseError> {
    // Tabs and line breaks are white space and collapse like spaces; other control characters
    // have no place in a name.
    if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(ParseError::new(code, format!("{what} must not contain control characters")));
    }
    let cleaned = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = cleaned.chars().count();
    if length == 0 {
        return Err(ParseError::new(code, format!("{what} must not be empty")));
    }
    if length > chars_max {
        return Err(ParseError::new(
            code,
            format!("{what} must have at most {chars_max} characters"),
        ));
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_collapses_white_space() {
        assert_eq!(
            clean_text("  Ana   Maria\tSouza ", 64, "x", "name").unwrap(),
            "Ana Maria Souza"
        );
    }

    #[test]
    fn clean_text_refuses_empty_long_and_control_characters() {
        assert_eq!(clean_text("   ", 64, "x", "name").unwrap_err().code(), "x");
        assert!(clean_text(&"a".repeat(65), 64, "x", "name").is_err());
        assert!(clean_text("a\u{0}b", 64, "x", "name").is_err());
        assert!(clean_text(&"ã".repeat(64), 64, "x", "name").is_ok());
    }
}
