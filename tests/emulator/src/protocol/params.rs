//! Request parameters: the query string merged with a urlencoded or multipart body.

use bytes::Bytes;

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub(crate) filename: Option<String>,
    pub(crate) bytes: Bytes,
}

/// The parameters of one request, in the order received.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    pub(crate) pairs: Vec<(String, String)>,
    pub(crate) file: Option<Upload>,
}

impl Params {
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
                    if name == "file" {
                        p.file = Some(Upload {
                            filename,
                            bytes: data,
                        });
                    }
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
