//! The value types of image tasks: how the image travels, and which characters the answer
//! holds.

/// How the image travels to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageUpload {
    /// `method=base64` with the image in `body` (a urlencoded form).
    #[default]
    Base64,
    /// `method=post` with the image as the multipart part `file`.
    Multipart,
}

/// Which characters the answer holds (the form protocol's `numeric`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CharacterSet {
    /// Not specified (0).
    #[default]
    Any,
    /// Digits only (1).
    NumbersOnly,
    /// Letters only (2).
    LettersOnly,
    /// Digits or letters (3).
    NumbersOrLetters,
    /// Digits and letters, both present (4).
    NumbersAndLetters,
}

impl CharacterSet {
    /// The wire value 0..=4.
    pub fn code(self) -> u8 {
        match self {
            CharacterSet::Any => 0,
            CharacterSet::NumbersOnly => 1,
            CharacterSet::LettersOnly => 2,
            CharacterSet::NumbersOrLetters => 3,
            CharacterSet::NumbersAndLetters => 4,
        }
    }

    /// From its name (`numbers_only`), as the JSON form spells it.
    pub fn from_name(name: &str) -> Option<CharacterSet> {
        Some(match name {
            "any" => CharacterSet::Any,
            "numbers_only" => CharacterSet::NumbersOnly,
            "letters_only" => CharacterSet::LettersOnly,
            "numbers_or_letters" => CharacterSet::NumbersOrLetters,
            "numbers_and_letters" => CharacterSet::NumbersAndLetters,
            _ => return None,
        })
    }

    /// From the wire value.
    pub fn from_code(code: u8) -> Option<CharacterSet> {
        Some(match code {
            0 => CharacterSet::Any,
            1 => CharacterSet::NumbersOnly,
            2 => CharacterSet::LettersOnly,
            3 => CharacterSet::NumbersOrLetters,
            4 => CharacterSet::NumbersAndLetters,
            _ => return None,
        })
    }
}
