//! Customer accounts: usernames, passwords, names.
//!
//! A password is held only long enough to hash or check it; its `Debug` shows nothing, so it
//! cannot end up in a log by accident.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{ParseError, parse};

/// A username: 3 to 32 characters of lower-case letters, digits, `.`, `_` and `-`, starting
/// with a letter or digit. Upper case is folded, so `JoaoSilva` and `joaosilva` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

/// Shortest username.
pub const USERNAME_CHARS_MIN: usize = 3;
/// Longest username.
pub const USERNAME_CHARS_MAX: usize = 32;

impl Username {
    /// Parses a username.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let name = raw.to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        let well_formed = (USERNAME_CHARS_MIN..=USERNAME_CHARS_MAX).contains(&name.len())
            && name.chars().all(allowed)
            && name.starts_with(|c: char| c.is_ascii_alphanumeric());
        if !well_formed {
            return Err(ParseError::new(
                "invalid_username",
                format!(
                    "a username has {USERNAME_CHARS_MIN} to {USERNAME_CHARS_MAX} letters, digits, '.', '_' or '-', starting with a letter or digit"
                ),
            ));
        }
        Ok(Self(name))
    }

    /// The username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A password as typed: 8 to 128 characters, not only white space.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Shortest password.
pub const PASSWORD_CHARS_MIN: usize = 8;
/// Longest password (argon2 accepts more; the bound keeps hashing cost predictable).
pub const PASSWORD_CHARS_MAX: usize = 128;

impl Password {
    /// Checks a new password against the rules.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let length = raw.chars().count();
        if !(PASSWORD_CHARS_MIN..=PASSWORD_CHARS_MAX).contains(&length) || raw.trim().is_empty() {
            return Err(ParseError::new(
                "invalid_password",
                format!("a password has {PASSWORD_CHARS_MIN} to {PASSWORD_CHARS_MAX} characters"),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password, for hashing or checking.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A customer's name as shown in the account: 1 to 100 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CustomerName(String);

/// Longest customer name.
pub const CUSTOMER_NAME_CHARS_MAX: usize = 100;

impl CustomerName {
    /// Parses a name; inner white space is collapsed.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        parse::clean_text(raw, CUSTOMER_NAME_CHARS_MAX, "invalid_name", "a name").map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::parse::text_conversions!(Username);

impl fmt::Display for CustomerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

crate::parse::text_conversions!(CustomerName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(Username::parse("JoaoSilva").unwrap().as_str(), "joaosilva");
        assert!(Username::parse("ana.f_2").is_ok());
        for raw in ["ab", ".ana", "ana silva", "anã", &"a".repeat(33)] {
            assert_eq!(Username::parse(raw).unwrap_err().code(), "invalid_username", "{raw:?}");
        }
    }

    #[test]
    fn passwords_are_bounded_and_never_shown() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("        ").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        let password = Password::parse("senhaSegura123").unwrap();
        assert!(!format!("{password:?}").contains("senha"));
    }

    #[test]
    fn names_are_trimmed() {
        assert_eq!(CustomerName::parse(" Ana  Ferreira ").unwrap().as_str(), "Ana Ferreira");
        assert_eq!(CustomerName::parse(" ").unwrap_err().code(), "invalid_name");
    }
}
