//! Image captchas: text in a picture, sent as base64 or as a multipart file upload.

use super::image_format::ImageFormat;
use super::{setters, validate, validate_common};
use crate::error::{Error, Result};
use base64::Engine as _;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Smallest image the service accepts, in bytes.
pub const MIN_IMAGE_BYTES: usize = 100;
/// Largest image the service accepts, in bytes. The API documentation says "600 kB"; we read it as
/// 600,000 bytes, the smaller of the two readings, so that no image we pass is refused.
pub const MAX_IMAGE_BYTES: usize = 600_000;
/// Largest width or height the service accepts, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 1000;

/// How the image travels to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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

/// An image captcha.
#[derive(Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImageToText {
    /// The image bytes (jpg, png or gif, 100 B..600 kB, at most 1000 px a side).
    #[serde(deserialize_with = "super::from_json::image")]
    pub image: Vec<u8>,
    /// Base64 form field or multipart upload.
    pub upload: ImageUpload,
    /// The answer has two or more words (`phrase=1`).
    pub phrase: bool,
    /// The answer is case sensitive (`regsense=1`).
    pub case_sensitive: bool,
    /// Which characters the answer holds (`numeric`).
    pub numeric: CharacterSet,
    /// The image asks for a calculation (`calc=1`).
    pub math: bool,
    /// Fewest characters in the answer, 1..=20 (`min_len`).
    pub min_length: Option<u32>,
    /// Most characters in the answer, 1..=20 (`max_len`).
    pub max_length: Option<u32>,
    /// A language code for the workers (`lang`, e.g. `en`).
    pub lang: Option<String>,
    /// An instruction for the worker (`textinstructions`).
    pub comment: Option<String>,
    /// Pingback URL.
    pub pingback: Option<String>,
    /// Fields the service takes that this model does not name, sent as given (the json
    /// protocol adds them to the task object; the form protocol sends them as fields).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl ImageToText {
    /// An image task from bytes.
    pub fn new(image: impl Into<Vec<u8>>) -> ImageToText {
        ImageToText {
            image: image.into(),
            ..ImageToText::default()
        }
    }

    /// Reads the image from a file. A missing or unreadable file is `invalid_task` on `image`.
    pub fn from_path(path: impl AsRef<Path>) -> Result<ImageToText> {
        let path = path.as_ref();
        // A huge file is refused before it is read.
        if let Ok(meta) = std::fs::metadata(path)
            && meta.is_file()
            && meta.len() > MAX_IMAGE_BYTES as u64
        {
            return Err(Error::invalid_field(
                "image",
                format!(
                    "{} is {} bytes; the service accepts at most {MAX_IMAGE_BYTES}",
                    path.display(),
                    meta.len()
                ),
            ));
        }
        std::fs::read(path).map(ImageToText::new).map_err(|e| {
            Error::invalid_field(
                "image",
                format!(
                    "cannot read the file {}: {}",
                    path.display(),
                    crate::error::plain_cause(&e.to_string())
                ),
            )
        })
    }

    /// Decodes a base64 image (standard alphabet, padding optional, an optional
    /// `data:image/...;base64,` prefix allowed).
    pub fn from_base64(data: &str) -> Result<ImageToText> {
        let data = data.trim();
        let data = match data.find(";base64,") {
            Some(i) if data.starts_with("data:") => &data[i + 8..],
            _ => data,
        };
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(data))
            .map(ImageToText::new)
            .map_err(|_| Error::invalid_field("image", "is not valid base64"))
    }

    /// An image given as text, told apart explicitly: a `data:` URL; else a path, when the
    /// text names a file that exists or ends in an image extension (`.png`, `.jpg`, ...);
    /// else base64 (which may itself start with `/`, as JPEG data does). When none fits, the
    /// error says what was tried.
    pub fn from_text(text: &str) -> Result<ImageToText> {
        let t = text.trim();
        if t.starts_with("data:") {
            return ImageToText::from_base64(t).map_err(|_| {
                Error::invalid_field(
                    "image",
                    "is a data: URL, but not one holding base64 image data",
                )
            });
        }
        let lower = t.to_ascii_lowercase();
        let named_like_a_file = [".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"]
            .iter()
            .any(|e| lower.ends_with(e));
        if t.len() < 4096 && (named_like_a_file || Path::new(t).is_file()) {
            return ImageToText::from_path(t);
        }
        ImageToText::from_base64(t).map_err(|_| {
            Error::invalid_field(
                "image",
                "is not a data: URL, no file exists at that path, and it is not base64 image data",
            )
        })
    }

    /// Sends the image as a multipart upload instead of base64.
    pub fn multipart(mut self) -> Self {
        self.upload = ImageUpload::Multipart;
        self
    }

    /// Sets the character set.
    pub fn numeric(mut self, set: CharacterSet) -> Self {
        self.numeric = set;
        self
    }

    /// Sets the answer length bounds.
    pub fn length(mut self, min: Option<u32>, max: Option<u32>) -> Self {
        self.min_length = min;
        self.max_length = max;
        self
    }

    setters!(strings: lang, comment; flags: phrase, case_sensitive, math);

    /// The recognised format (after validation it is always `Some`).
    pub fn format(&self) -> Option<ImageFormat> {
        ImageFormat::detect(&self.image)
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let n = self.image.len();
        if n < MIN_IMAGE_BYTES {
            return Err(Error::invalid_field(
                "image",
                format!("the image is {n} bytes; the service needs at least {MIN_IMAGE_BYTES}"),
            ));
        }
        if n > MAX_IMAGE_BYTES {
            return Err(Error::invalid_field(
                "image",
                format!("the image is {n} bytes; the service accepts at most {MAX_IMAGE_BYTES}"),
            ));
        }
        let format = ImageFormat::detect(&self.image).ok_or_else(|| {
            Error::invalid_field(
                "image",
                "the image is not a jpg, png or gif (recognised from its first bytes)",
            )
        })?;
        if let Some((w, h)) = format.dimensions(&self.image)
            && (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE)
        {
            return Err(Error::invalid_field(
                "image",
                format!(
                    "the image is {w}x{h} px; the service accepts at most {MAX_IMAGE_SIDE} px a side"
                ),
            ));
        }
        for (field, v) in [
            ("min_length", self.min_length),
            ("max_length", self.max_length),
        ] {
            if let Some(v) = v
                && !(1..=20).contains(&v)
            {
                return Err(Error::invalid_field(
                    field,
                    "the length must be between 1 and 20",
                ));
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_length, self.max_length)
            && lo > hi
        {
            return Err(Error::invalid_field(
                "min_length",
                "is greater than the maximum length",
            ));
        }
        if let Some(lang) = &self.lang
            && (lang.is_empty()
                || lang.len() > 8
                || !lang.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
        {
            return Err(Error::invalid_field(
                "lang",
                "expected a language code such as en",
            ));
        }
        if let Some(c) = &self.comment {
            validate::text("comment", c)?;
            if c.chars().count() > 140 {
                return Err(Error::invalid_field(
                    "comment",
                    "the comment is longer than 140 characters",
                ));
            }
        }
        validate_common(&self.pingback, &self.extra)
    }
}

impl fmt::Debug for ImageToText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageToText")
            .field("image", &format_args!("<{} bytes>", self.image.len()))
            .field("upload", &self.upload)
            .field("phrase", &self.phrase)
            .field("case_sensitive", &self.case_sensitive)
            .field("numeric", &self.numeric)
            .field("math", &self.math)
            .field("min_length", &self.min_length)
            .field("max_length", &self.max_length)
            .field("lang", &self.lang)
            .field("comment", &self.comment)
            .field("pingback", &self.pingback)
            .field("extra", &self.extra)
            .finish()
    }
}
