//! Images and recordings: read from bytes, a path, base64 or a `data:` URL, and checked
//! before anything is sent (size, format, and an image's pixel size).

use super::image_format::ImageFormat;
use crate::error::{Error, Result};
use base64::Engine as _;
use std::path::Path;

/// Smallest image the service accepts, in bytes.
pub const MIN_IMAGE_BYTES: usize = 100;
/// Largest image the service accepts, in bytes. The API documentation says "600 kB"; we read it as
/// 600,000 bytes, the smaller of the two readings, so that no image we pass is refused.
pub const MAX_IMAGE_BYTES: usize = 600_000;
/// Largest width or height the service accepts, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 1000;
/// Largest recording the services accept (2captcha's audio method: 1 MB).
pub const MAX_AUDIO_BYTES: usize = 1_000_000;
/// Smallest recording worth sending.
pub const MIN_AUDIO_BYTES: usize = 100;
/// Most images one task sends as multipart file parts ([`super::Raw`]'s `files`). 2captcha's
/// own Python library sends at most 9 by default (`max_files`), plus a hint image; 20 leaves a
/// caller who raised that limit room, while one request stays under 20 x 600 kB = 12 MB.
pub const MAX_IMAGE_PARTS: usize = 20;

/// What a media field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    /// A jpg, png or gif picture.
    Image,
    /// An mp3 recording.
    Audio,
}

impl Media {
    fn noun(self) -> &'static str {
        match self {
            Media::Image => "image",
            Media::Audio => "recording",
        }
    }

    fn max(self) -> usize {
        match self {
            Media::Image => MAX_IMAGE_BYTES,
            Media::Audio => MAX_AUDIO_BYTES,
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Media::Image => &[".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"],
            Media::Audio => &[".mp3"],
        }
    }

    /// Reads a file. A missing or unreadable file is an error naming the path; a huge one is
    /// refused before it is read.
    pub(crate) fn read_path(self, path: &Path) -> Result<Vec<u8>> {
        if let Ok(meta) = std::fs::metadata(path)
            && meta.is_file()
            && meta.len() > self.max() as u64
        {
            return Err(Error::invalid_field(
                "image",
                format!(
                    "{} is {} bytes; the service accepts at most {}",
                    path.display(),
                    meta.len(),
                    self.max()
                ),
            ));
        }
        std::fs::read(path).map_err(|e| {
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

    /// Decodes base64 (standard alphabet, padding optional, a `data:...;base64,` prefix
    /// allowed).
    pub(crate) fn decode_base64(self, data: &str) -> Result<Vec<u8>> {
        let data = data.trim();
        let data = match data.find(";base64,") {
            Some(i) if data.starts_with("data:") => &data[i + 8..],
            _ => data,
        };
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(data))
            .map_err(|_| Error::invalid_field("image", "is not valid base64"))
    }

    /// Media given as text, told apart explicitly: a `data:` URL; else a path, when the text
    /// names a file that exists or ends in the media's extension; else base64 (which may
    /// itself start with `/`, as JPEG data does). When none fits, the error says what was
    /// tried.
    pub(crate) fn read_text(self, text: &str) -> Result<Vec<u8>> {
        let t = text.trim();
        let noun = self.noun();
        if t.starts_with("data:") {
            return self.decode_base64(t).map_err(|_| {
                Error::invalid_field(
                    "image",
                    format!("is a data: URL, but not one holding base64 {noun} data"),
                )
            });
        }
        let lower = t.to_ascii_lowercase();
        let named_like_a_file = self.extensions().iter().any(|e| lower.ends_with(e));
        if t.len() < 4096 && (named_like_a_file || Path::new(t).is_file()) {
            return self.read_path(Path::new(t));
        }
        self.decode_base64(t).map_err(|_| {
            Error::invalid_field(
                "image",
                format!(
                    "is not a data: URL, no file exists at that path, and it is not base64 {noun} data"
                ),
            )
        })
    }

    /// Checks that the bytes of `field` are no more than the service accepts.
    pub(crate) fn check_max(self, field: &str, bytes: &[u8]) -> Result<()> {
        let (n, max) = (bytes.len(), self.max());
        if n > max {
            return Err(Error::invalid_field(
                field,
                format!(
                    "the {} is {n} bytes; the service accepts at most {max}",
                    self.noun()
                ),
            ));
        }
        Ok(())
    }

    /// Checks the bytes of `field`: size, format, and an image's pixel size.
    pub(crate) fn check(self, field: &str, bytes: &[u8]) -> Result<()> {
        let n = bytes.len();
        let min = match self {
            Media::Image => MIN_IMAGE_BYTES,
            Media::Audio => MIN_AUDIO_BYTES,
        };
        if n < min {
            return Err(Error::invalid_field(
                field,
                format!(
                    "the {} is {n} bytes; the service needs at least {min}",
                    self.noun()
                ),
            ));
        }
        self.check_max(field, bytes)?;
        match self {
            Media::Image => {
                let format = ImageFormat::detect(bytes).ok_or_else(|| {
                    Error::invalid_field(
                        field,
                        "the image is not a jpg, png or gif (recognised from its first bytes)",
                    )
                })?;
                if let Some((w, h)) = format.dimensions(bytes)
                    && (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE)
                {
                    return Err(Error::invalid_field(
                        field,
                        format!(
                            "the image is {w}x{h} px; the service accepts at most {MAX_IMAGE_SIDE} px a side"
                        ),
                    ));
                }
            }
            Media::Audio => {
                // An ID3 tag, or an MPEG frame's sync bits (11 set bits).
                let mp3 = bytes.starts_with(b"ID3")
                    || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0);
                if !mp3 {
                    return Err(Error::invalid_field(
                        field,
                        "the recording is not an mp3 (recognised from its first bytes)",
                    ));
                }
            }
        }
        Ok(())
    }
}
