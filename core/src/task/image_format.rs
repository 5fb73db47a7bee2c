//! Image formats the form protocol accepts (jpg/jpeg, gif, png), recognised from the bytes,
//! and their pixel size read from the header. Pure and panic-free on any input.

/// A supported image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG (`.jpg`).
    Jpeg,
    /// PNG.
    Png,
    /// GIF (87a or 89a).
    Gif,
}

impl ImageFormat {
    /// Recognises the format from the leading bytes.
    pub fn detect(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else {
            None
        }
    }

    /// The file extension used for multipart uploads.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Gif => "gif",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
        }
    }

    /// Width and height in pixels, when the header holds them.
    pub fn dimensions(self, bytes: &[u8]) -> Option<(u32, u32)> {
        match self {
            ImageFormat::Png => {
                // Signature (8), IHDR length (4) and type (4), then width and height (BE u32).
                let w = be_u32(bytes.get(16..20)?);
                let h = be_u32(bytes.get(20..24)?);
                Some((w, h))
            }
            ImageFormat::Gif => {
                let w = u16::from_le_bytes([*bytes.get(6)?, *bytes.get(7)?]);
                let h = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]);
                Some((u32::from(w), u32::from(h)))
            }
            ImageFormat::Jpeg => jpeg_dimensions(bytes),
        }
    }
}

fn be_u32(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x))
}

/// Walks the JPEG marker segments up to the first start-of-frame (SOF0..SOF15 except DHT,
/// JPG and DAC), which holds height then width.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2usize;
    // A bound on the walk: every step advances by at least 2 bytes.
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if marker == 0xD8 || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 {
            return None;
        }
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = bytes.get(i + 4..i + 2 + len)?;
            let h = u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]);
            let w = u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]);
            return Some((u32::from(w), u32::from(h)));
        }
        if marker == 0xDA || marker == 0xD9 {
            return None; // start of scan or end of image before any frame header
        }
        i = i.checked_add(2 + len)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_measures() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&200u32.to_be_bytes());
        png.extend_from_slice(&70u32.to_be_bytes());
        assert_eq!(ImageFormat::detect(&png), Some(ImageFormat::Png));
        assert_eq!(ImageFormat::Png.dimensions(&png), Some((200, 70)));

        let gif = b"GIF89a\x2c\x01\x32\x00rest";
        assert_eq!(ImageFormat::detect(gif), Some(ImageFormat::Gif));
        assert_eq!(ImageFormat::Gif.dimensions(gif), Some((300, 50)));

        // SOI, APP0 (len 4), SOF0 (len 11: precision, h=0x0040, w=0x0080, ...)
        let jpg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
            0x40, 0x00, 0x80, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11,
        ];
        assert_eq!(ImageFormat::detect(&jpg), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::Jpeg.dimensions(&jpg), Some((128, 64)));

        assert_eq!(ImageFormat::detect(b"BM...."), None);
    }

    #[test]
    fn never_panics_on_truncated_headers() {
        for n in 0..24 {
            let jpg = [
                0xFFu8, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x40, 0x00, 0x80, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0,
            ];
            let _ = ImageFormat::Jpeg.dimensions(&jpg[..n]);
            let _ = ImageFormat::Png.dimensions(&jpg[..n]);
            let _ = ImageFormat::Gif.dimensions(&jpg[..n]);
        }
    }
}
