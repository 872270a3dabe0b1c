//! Money: integer cents of Brazilian reais. No floating point touches a price.

use std::fmt;
use std::iter::Sum;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// An amount of money in cents of BRL, never negative.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

/// The highest fare one seat on one flight may cost: R$ 100.000,00.
pub const FARE_CENTS_MAX: i64 = 10_000_000;

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// An amount of `cents`; negative amounts are refused.
    pub fn from_cents(cents: i64) -> Result<Self, ParseError> {
        if cents < 0 {
            return Err(ParseError::new(
                "invalid_money",
                format!("{cents} is not an amount: money is a non-negative number of cents"),
            ));
        }
        Ok(Self(cents))
    }

    /// A fare for one seat on one flight: more than zero and at most [`FARE_CENTS_MAX`].
    pub fn fare(cents: i64) -> Result<Self, ParseError> {
        if !(1..=FARE_CENTS_MAX).contains(&cents) {
            return Err(ParseError::new(
                "invalid_price",
                format!("a fare is from 1 to {FARE_CENTS_MAX} cents, not {cents}"),
            ));
        }
        Ok(Self(cents))
    }

    /// The amount in cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// `self` times `count`. Fares and passenger counts are bounded far below overflow.
    pub fn times(self, count: u32) -> Money {
        Money(self.0 * i64::from(count))
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |total, amount| total + amount)
    }
}

impl TryFrom<i64> for Money {
    type Error = ParseError;
    fn try_from(cents: i64) -> Result<Self, ParseError> {
        Self::from_cents(cents)
    }
}

impl From<Money> for i64 {
    fn from(money: Money) -> i64 {
        money.0
    }
}

/// Brazilian notation: `R$ 1.234,56`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reais = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in reais.chars().enumerate() {
            if i > 0 && (reais.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        write!(f, "R$ {grouped},{:02}", self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_shown_in_brazilian_notation() {
        assert_eq!(Money::from_cents(123_456).unwrap().to_string(), "R$ 1.234,56");
        assert_eq!(Money::from_cents(5).unwrap().to_string(), "R$ 0,05");
        assert_eq!(Money::from_cents(100_000_000).unwrap().to_string(), "R$ 1.000.000,00");
    }

    #[test]
    fn fares_are_positive_and_bounded() {
        assert!(Money::fare(0).is_err());
        assert!(Money::fare(-1).is_err());
        assert!(Money::fare(FARE_CENTS_MAX + 1).is_err());
        assert_eq!(Money::fare(35_000).unwrap().times(3).cents(), 105_000);
    }

    #[test]
    fn amounts_add_up() {
        let total: Money = [100, 250, 1].into_iter().map(|c| Money::from_cents(c).unwrap()).sum();
        assert_eq!(total.cents(), 351);
        assert!(Money::from_cents(-5).is_err());
    }
}
