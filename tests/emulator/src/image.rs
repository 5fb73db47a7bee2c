//! Image checks of `in.php`: extension, size, type and pixel size, from the API documentation's error table.
//! (The emulator's own reading of the formats, independent of the client's.)

/// the API documentation's "600 kB", read as 600,000 bytes.
pub(crate) const MAX_BYTES: usize = 600_000;
pub(crate) const MIN_BYTES: usize = 100;
pub(crate) const MAX_SIDE: u32 = 1000;

/// The error code for an image, or `None` when the service would take it.
pub(crate) fn check(bytes: &[u8], filename: Option<&str>) -> Option<&'static str> {
    if let Some(name) = filename {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !matches!(ext.as_deref(), Some("jpg" | "jpeg" | "gif" | "png")) {
            return Some("ERROR_WRONG_FILE_EXTENSION");
        }
    }
    if bytes.len() < MIN_BYTES {
        return Some("ERROR_ZERO_CAPTCHA_FILESIZE");
    }
    if bytes.len() > MAX_BYTES {
        return Some("ERROR_TOO_BIG_CAPTCHA_FILESIZE");
    }
    let size = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_size(bytes)
    } else if bytes.starts_with(b"GIF8") {
        gif_size(bytes)
    } else if bytes.len() > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 {
        jpeg_size(bytes)
    } else {
        return Some("ERROR_IMAGE_TYPE_NOT_SUPPORTED");
    };
    match size {
        Some((w, h)) if w > MAX_SIDE || h > MAX_SIDE => Some("ERROR_TOO_BIG_CAPTCHA_FILESIZE"),
        _ => None,
    }
}

/// The pixel size of a PNG, GIF or JPEG: `None` for other formats, `Some(None)` when the
/// size cannot be read.
pub(crate) fn dimensions(bytes: &[u8]) -> Option<Option<(u32, u32)>> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(png_size(bytes))
    } else if bytes.starts_with(b"GIF8") {
        Some(gif_size(bytes))
    } else if bytes.len() > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 {
        Some(jpeg_size(bytes))
    } else {
        None
    }
}

/// The format's name, for task records.
pub(crate) fn format_name(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"GIF8") {
        "gif"
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        "jpeg"
    } else {
        "unknown"
    }
}

fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    let w = b.get(16..20)?;
    let h = b.get(20..24)?;
    Some((
        u32::from_be_bytes([w[0], w[1], w[2], w[3]]),
        u32::from_be_bytes([h[0], h[1], h[2], h[3]]),
    ))
}

fn gif_size(b: &[u8]) -> Option<(u32, u32)> {
    let s = b.get(6..10)?;
    Some((
        u32::from(u16::from_le_bytes([s[0], s[1]])),
        u32::from(u16::from_le_bytes([s[2], s[3]])),
    ))
}

fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut pos = 2;
    loop {
        // Skip to the next marker.
        while *b.get(pos)? != 0xFF {
            pos += 1;
        }
        while *b.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = *b.get(pos)?;
        pos += 1;
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*b.get(pos)?, *b.get(pos + 1)?]));
        let frame = matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF);
        if frame {
            let h = u16::from_be_bytes([*b.get(pos + 3)?, *b.get(pos + 4)?]);
            let w = u16::from_be_bytes([*b.get(pos + 5)?, *b.get(pos + 6)?]);
            return Some((u32::from(w), u32::from(h)));
        }
        if marker == 0xDA || len < 2 {
            return None;
        }
        pos += len;
    }
}
