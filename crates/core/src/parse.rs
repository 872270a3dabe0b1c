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
/// has between 1 and `chars_max` characters, none of them a control character or an invisible
/// formatting one ([`invisible`]).
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
    if raw.chars().any(invisible) {
        return Err(ParseError::new(
            code,
            format!("{what} must not contain invisible or direction-changing characters"),
        ));
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

/// Whether `c` is an invisible formatting character (Unicode's `Cf` that text editors and
/// tickets show as nothing): bidirectional overrides, embeddings and isolates, which reorder
/// what is printed after them (a name that reads differently than it sorts and matches), and
/// zero-width spaces, joiners and marks, which make two names that print alike differ.
pub(crate) fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' // soft hyphen
        | '\u{061C}' // Arabic letter mark
        | '\u{180E}' // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
        | '\u{202A}'..='\u{202E}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}' // isolates, deprecated format characters
        | '\u{FEFF}' // zero-width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_refuses_direction_overrides_and_zero_width_characters() {
        for sneaky in
            ["Ana\u{202E}arieM", "Ana\u{200B}Maria", "\u{2067}Ana", "Ana\u{FEFF}", "An\u{00AD}a"]
        {
            let error = clean_text(sneaky, 64, "x", "a name").unwrap_err();
            assert!(error.message().contains("invisible"), "{sneaky:?}: {}", error.message());
        }
        assert!(clean_text("Zoë Ødegård-Nuñez", 64, "x", "a name").is_ok());
    }

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
