//! Seats and cabins: which seats a flight has, and how free ones are chosen for a party.
//!
//! A cabin is a grid: rows numbered from 1, seats in a row lettered in order (`ABCDEF`). The
//! seat map of a flight is its cabin plus the set of seats taken (held or sold); a seat that is
//! not taken is free. Nothing here knows who took a seat: that lives with the flight's owner.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// A seat on a flight: row number and letter (`12C`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SeatNumber {
    row: u8,
    letter: u8,
}

/// Highest row number any cabin may have.
pub const CABIN_ROWS_MAX: u8 = 99;
/// Most seats one row may have.
pub const ROW_SEATS_MAX: usize = 10;

impl SeatNumber {
    /// Parses a seat: a row from 1 to 99 and a letter, in either case (`12c` is `12C`).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let invalid = || {
            ParseError::new(
                "invalid_seat",
                format!("{raw:?} is not a seat: expected a row number and a letter, like 12C"),
            )
        };
        let letter = raw.chars().last().filter(char::is_ascii_alphabetic).ok_or_else(invalid)?;
        // The letter is ASCII, one byte long, so the row is everything before the last byte.
        let digits = &raw[..raw.len() - 1];
        if digits.is_empty() || digits.len() > 2 {
            return Err(invalid());
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
            return Err(invalid());
        }
        let row: u8 = digits.parse().map_err(|_| invalid())?;
        Ok(Self { row, letter: letter.to_ascii_uppercase() as u8 })
    }

    /// The row, from 1.
    pub fn row(self) -> u8 {
        self.row
    }

    /// The letter, upper case.
    pub fn letter(self) -> char {
        char::from(self.letter)
    }
}

impl fmt::Display for SeatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.row, self.letter())
    }
}

impl fmt::Debug for SeatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seat({self})")
    }
}

/// The seat layout of an aircraft: `rows` rows, each with the seats `letters`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cabin {
    rows: u8,
    letters: String,
}

impl Cabin {
    /// A layout of `rows` rows (1 to 99) with seats `letters` (1 to 10 distinct letters in
    /// alphabetical order, like `ABCDEF`).
    pub fn new(rows: u8, letters: &str) -> Result<Self, ParseError> {
        if rows == 0 || rows > CABIN_ROWS_MAX {
            return Err(ParseError::new(
                "invalid_cabin",
                format!("a cabin has from 1 to {CABIN_ROWS_MAX} rows, not {rows}"),
            ));
        }
        let letters = letters.to_ascii_uppercase();
        let ordered = letters.as_bytes().windows(2).all(|pair| pair[0] < pair[1]);
        let well_formed = !letters.is_empty()
            && letters.len() <= ROW_SEATS_MAX
            && letters.bytes().all(|b| b.is_ascii_uppercase())
            && ordered;
        if !well_formed {
            return Err(ParseError::new(
                "invalid_cabin",
                format!(
                    "{letters:?} are not seat letters: expected 1 to {ROW_SEATS_MAX} distinct letters in order, like ABCDEF"
                ),
            ));
        }
        Ok(Self { rows, letters })
    }

    /// The narrow-body layout of the network's aircraft: rows 1–30, seats A–F (180 seats).
    pub fn standard() -> Self {
        Self::new(30, "ABCDEF").expect("the standard cabin is valid")
    }

    /// Number of rows.
    pub fn rows(&self) -> u8 {
        self.rows
    }

    /// Seat letters of every row.
    pub fn letters(&self) -> &str {
        &self.letters
    }

    /// How many seats the cabin has.
    pub fn capacity(&self) -> u32 {
        u32::from(self.rows) * self.letters.len() as u32
    }

    /// Whether `seat` exists in this cabin.
    pub fn contains(&self, seat: SeatNumber) -> bool {
        (1..=self.rows).contains(&seat.row) && self.letters.as_bytes().contains(&seat.letter)
    }

    /// Every seat, row by row, front to back.
    pub fn seats(&self) -> impl Iterator<Item = SeatNumber> + '_ {
        (1..=self.rows)
            .flat_map(move |row| self.letters.bytes().map(move |letter| SeatNumber { row, letter }))
    }

    /// Chooses `count` free seats for a party, or `None` if fewer are free.
    ///
    /// A party sits together when it can: the first row, front to back, with `count` adjacent
    /// free seats wins. Otherwise the party takes the first free seats front to back.
    pub fn choose_free(
        &self,
        taken: &BTreeSet<SeatNumber>,
        count: usize,
    ) -> Option<Vec<SeatNumber>> {
        let together = (1..=self.rows).find_map(|row| self.adjacent_free_in_row(row, taken, count));
        together.or_else(|| {
            let free: Vec<_> =
                self.seats().filter(|seat| !taken.contains(seat)).take(count).collect();
            (free.len() == count).then_some(free)
        })
    }

    fn adjacent_free_in_row(
        &self,
        row: u8,
        taken: &BTreeSet<SeatNumber>,
        count: usize,
    ) -> Option<Vec<SeatNumber>> {
        let row_seats: Vec<_> =
            self.letters.bytes().map(|letter| SeatNumber { row, letter }).collect();
        row_seats
            .windows(count.max(1))
            .find(|window| window.iter().all(|seat| !taken.contains(seat)))
            .filter(|window| window.len() == count)
            .map(<[SeatNumber]>::to_vec)
    }
}

impl fmt::Display for Cabin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rows 1–{}, seats {}", self.rows, self.letters)
    }
}

crate::parse::text_conversions!(SeatNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seat(raw: &str) -> SeatNumber {
        SeatNumber::parse(raw).unwrap()
    }

    #[test]
    fn seats_parse_row_and_letter() {
        assert_eq!(seat("12c").to_string(), "12C");
        assert_eq!(seat("1A").row(), 1);
        assert_eq!(seat("99K").letter(), 'K');
        for raw in ["", "A", "12", "0A", "01A", "100A", "1AA", "A1", "1-", "١A", "1Ã"] {
            assert_eq!(SeatNumber::parse(raw).unwrap_err().code(), "invalid_seat", "{raw:?}");
        }
    }

    #[test]
    fn seats_order_by_row_then_letter() {
        assert!(seat("2A") < seat("10A"));
        assert!(seat("10A") < seat("10B"));
    }

    #[test]
    fn the_standard_cabin_has_180_seats() {
        let cabin = Cabin::standard();
        assert_eq!(cabin.capacity(), 180);
        assert_eq!(cabin.seats().count(), 180);
        assert!(cabin.contains(seat("30F")));
        assert!(!cabin.contains(seat("31A")));
        assert!(!cabin.contains(seat("1G")));
    }

    #[test]
    fn cabins_refuse_impossible_layouts() {
        assert!(Cabin::new(0, "AB").is_err());
        assert!(Cabin::new(100, "AB").is_err());
        assert!(Cabin::new(10, "").is_err());
        assert!(Cabin::new(10, "BA").is_err());
        assert!(Cabin::new(10, "AAB").is_err());
        assert!(Cabin::new(10, "ABCDEFGHJKL").is_err());
        assert_eq!(Cabin::new(1, "a").unwrap().capacity(), 1);
    }

    #[test]
    fn a_party_sits_together_when_a_row_allows() {
        let cabin = Cabin::new(3, "ABCD").unwrap();
        let taken: BTreeSet<_> = [seat("1B"), seat("2A")].into();
        let chosen = cabin.choose_free(&taken, 3).unwrap();
        assert_eq!(chosen, vec![seat("2B"), seat("2C"), seat("2D")]);
    }

    #[test]
    fn a_party_splits_when_no_row_has_room() {
        let cabin = Cabin::new(2, "AB").unwrap();
        let taken: BTreeSet<_> = [seat("1A"), seat("2B")].into();
        assert_eq!(cabin.choose_free(&taken, 2).unwrap(), vec![seat("1B"), seat("2A")]);
        assert_eq!(cabin.choose_free(&taken, 3), None);
    }

    proptest! {
        #[test]
        fn chosen_seats_are_free_distinct_and_in_the_cabin(
            rows in 1u8..6, taken_mask in any::<u32>(), count in 1usize..8,
        ) {
            let cabin = Cabin::new(rows, "ABCD").unwrap();
            let taken: BTreeSet<_> = cabin.seats().enumerate()
                .filter(|(i, _)| taken_mask & (1 << (i % 32)) != 0)
                .map(|(_, seat)| seat)
                .collect();
            let free = cabin.capacity() as usize - taken.len();
            match cabin.choose_free(&taken, count) {
                Some(chosen) => {
                    prop_assert_eq!(chosen.len(), count);
                    let distinct: BTreeSet<_> = chosen.iter().copied().collect();
                    prop_assert_eq!(distinct.len(), count);
                    prop_assert!(chosen.iter().all(|s| cabin.contains(*s) && !taken.contains(s)));
                }
                None => prop_assert!(free < count),
            }
        }
    }
}
