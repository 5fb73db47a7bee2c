//! What travels: a protocol-neutral request a codec builds and the transport sends, and the
//! reply the transport reads and a codec classifies.

use std::fmt;
use std::time::Duration;

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Fields in the query string.
    Get,
    /// Fields or JSON in the body.
    Post,
}

/// A file attached to a multipart request.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// Form field name (`file`; a [`crate::Raw`] task's own, such as `file_1`).
    pub field: String,
    /// File name with an extension the service accepts.
    pub filename: String,
    /// MIME type.
    pub mime: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FilePart({} {}, {} bytes)",
            self.field,
            self.filename,
            self.bytes.len()
        )
    }
}

/// What a request carries.
#[derive(Clone, PartialEq)]
pub enum Body {
    /// Name/value pairs: the query string of a GET, a urlencoded POST body otherwise.
    Fields(Vec<(String, String)>),
    /// A multipart POST: text fields, then file parts.
    Multipart {
        /// Text fields in order.
        fields: Vec<(String, String)>,
        /// The files in order: one (`file`) for an image task, a [`crate::Raw`] task's
        /// `files` by name.
        files: Vec<FilePart>,
    },
    /// A JSON POST body.
    Json(serde_json::Value),
}

/// One request, ready for any HTTP client. It holds the API key (and perhaps a proxy
/// password): its `Debug` output hides every value.
#[derive(Clone, PartialEq)]
pub struct Request {
    /// GET or POST.
    pub method: Method,
    /// The path relative to the provider's base URL (`in.php`, `createTask`).
    pub path: &'static str,
    /// The fields, file or JSON.
    pub body: Body,
}

impl Request {
    /// The value of a form field, if the request has fields (tests, vectors).
    pub fn field(&self, name: &str) -> Option<&str> {
        let fields = match &self.body {
            Body::Fields(f) | Body::Multipart { fields: f, .. } => f,
            Body::Json(_) => return None,
        };
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every form field (empty for JSON requests).
    pub fn fields(&self) -> &[(String, String)] {
        match &self.body {
            Body::Fields(f) | Body::Multipart { fields: f, .. } => f,
            Body::Json(_) => &[],
        }
    }

    /// The JSON body, if the request has one.
    pub fn json(&self) -> Option<&serde_json::Value> {
        match &self.body {
            Body::Json(v) => Some(v),
            _ => None,
        }
    }

    /// The multipart files (empty for other requests).
    pub fn files(&self) -> &[FilePart] {
        match &self.body {
            Body::Multipart { files, .. } => files,
            _ => &[],
        }
    }

    /// The first multipart file, if any: an image task's only one.
    pub fn file(&self) -> Option<&FilePart> {
        self.files().first()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = match &self.body {
            Body::Fields(v) | Body::Multipart { fields: v, .. } => {
                v.iter().map(|(n, _)| n.as_str()).collect()
            }
            Body::Json(serde_json::Value::Object(m)) => m.keys().map(String::as_str).collect(),
            Body::Json(_) => Vec::new(),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("fields", &names)
            .field("files", &self.files())
            .finish_non_exhaustive()
    }
}

/// A reply as the transport read it: the status, the body (at most 1 MiB), and the
/// `Retry-After` header when the service sent one in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body bytes, not necessarily UTF-8.
    pub body: Vec<u8>,
    /// `Retry-After`, when given as seconds.
    pub retry_after: Option<Duration>,
}

impl Reply {
    /// A reply with a status and a body (tests, vectors, fuzzing).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            body: body.into(),
            retry_after: None,
        }
    }
}
