//! Request parameters: the query string merged with a urlencoded or multipart body.

use crate::state::FileInfo;
use base64::Engine as _;
use bytes::Bytes;

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    /// The part's name (`file`; `file_1`, `file_2`, ... when several images go together;
    /// `imginstructions`).
    pub(crate) name: String,
    pub(crate) filename: Option<String>,
    pub(crate) bytes: Bytes,
}

impl Upload {
    /// The part as a task's record shows it.
    pub(crate) fn info(&self) -> FileInfo {
        FileInfo {
            name: self.name.clone(),
            filename: self.filename.clone(),
            format: crate::image::format_name(&self.bytes).to_owned(),
            size: self.bytes.len(),
            base64: base64::engine::general_purpose::STANDARD.encode(&self.bytes),
        }
    }
}

/// The parameters of one request, in the order received.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    pub(crate) pairs: Vec<(String, String)>,
    /// Every file part, in the order received.
    pub(crate) files: Vec<Upload>,
}

/// Whether a part's name is one of the numbered images of a method that takes several
/// (`file_1`, `file_2`, ...: 2captcha-python's `rotate` and `vkimage` with a list of files).
pub(crate) fn is_numbered_file(name: &str) -> bool {
    name.strip_prefix("file_")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl Params {
    /// The file part named `name`.
    pub(crate) fn file(&self, name: &str) -> Option<&Upload> {
        self.files.iter().find(|u| u.name == name)
    }

    /// The first value of a parameter.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A non-empty value.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// `1` is on; anything else (or absent) is off.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.get(name) == Some("1")
    }

    /// Reads the parameters of a request from its query and body. `Err(code)` for bodies the
    /// service cannot read.
    pub(crate) async fn parse(
        query: Option<&str>,
        content_type: Option<&str>,
        bytes: Bytes,
    ) -> Result<Params, &'static str> {
        let mut p = Params::default();
        if let Some(q) = query {
            p.pairs
                .extend(form_urlencoded::parse(q.as_bytes()).into_owned());
        }
        if bytes.is_empty() {
            return Ok(p);
        }
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        if ct.starts_with("multipart/form-data") {
            let boundary =
                multer::parse_boundary(content_type.unwrap_or("")).map_err(|_| "ERROR_UPLOAD")?;
            let stream =
                futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
            let mut mp = multer::Multipart::new(stream, boundary);
            while let Some(field) = mp.next_field().await.map_err(|_| "ERROR_UPLOAD")? {
                let name = field.name().unwrap_or("").to_owned();
                let filename = field.file_name().map(str::to_owned);
                let data = field.bytes().await.map_err(|_| "ERROR_UPLOAD")?;
                if filename.is_some() || name == "file" {
                    p.files.push(Upload {
                        name,
                        filename,
                        bytes: data,
                    });
                } else {
                    p.pairs
                        .push((name, String::from_utf8_lossy(&data).into_owned()));
                }
            }
        } else {
            p.pairs.extend(form_urlencoded::parse(&bytes).into_owned());
        }
        Ok(p)
    }
}
