//! Text in a picture: sent as base64 or as a multipart file upload.

use super::prelude::*;
use crate::error::{Error, Result};
use crate::task::media::Media;
use crate::task::{ImageFormat, ImageUpload, validate};
use std::path::Path;

kind! {
    /// Text in a picture (jpg, png or gif, 100 bytes to 600 kB, at most 1000 px a side).
    ImageToText {
        required {
            /// The image: its bytes, or text that is a file path, base64 or a `data:` URL.
            image: image,
        }
        optional {
            /// How the image travels: `base64` (a form field, the default) or `multipart` (a file upload).
            upload: upload,
            /// The answer has two or more words.
            phrase: flag,
            /// The answer is case sensitive.
            case_sensitive: flag,
            /// Which characters the answer holds: 0 any (default), 1 digits, 2 letters, 3 digits or letters, 4 both.
            numeric: charset,
            /// The image asks for a calculation.
            math: flag,
            /// Fewest characters in the answer, 1 to 20.
            min_length: count(1, 20),
            /// Most characters in the answer, 1 to 20.
            max_length: count(1, 20),
            /// A language code for the workers (`en`).
            lang: text,
            /// An instruction for the worker, at most 140 characters.
            comment: text,
        }
        rules: ImageToText::rules,
    }
}

impl ImageToText {
    /// Reads the image from a file. A missing or unreadable file is `invalid_task` on `image`.
    pub fn from_path(path: impl AsRef<Path>) -> Result<ImageToText> {
        Media::Image.read_path(path.as_ref()).map(ImageToText::new)
    }

    /// Decodes a base64 image (standard alphabet, padding optional, an optional
    /// `data:image/...;base64,` prefix allowed).
    pub fn from_base64(data: &str) -> Result<ImageToText> {
        Media::Image.decode_base64(data).map(ImageToText::new)
    }

    /// An image given as text, told apart explicitly: a `data:` URL; else a path, when the
    /// text names a file that exists or ends in an image extension (`.png`, `.jpg`, ...);
    /// else base64 (which may itself start with `/`, as JPEG data does). When none fits, the
    /// error says what was tried.
    pub fn from_text(text: &str) -> Result<ImageToText> {
        Media::Image.read_text(text).map(ImageToText::new)
    }

    /// Sends the image as a multipart upload instead of base64.
    pub fn multipart(mut self) -> Self {
        self.upload = ImageUpload::Multipart;
        self
    }

    /// Sets the answer length bounds.
    pub fn length(mut self, min: Option<u32>, max: Option<u32>) -> Self {
        self.min_length = min;
        self.max_length = max;
        self
    }

    /// The recognised format (after validation it is always `Some`).
    pub fn format(&self) -> Option<ImageFormat> {
        ImageFormat::detect(&self.image)
    }

    fn rules(&self) -> Result<()> {
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
        Ok(())
    }
}

const JSON_FIELDS: &[WireField] = &[
    fe("image", "body", Enc::Base64),
    f("phrase", "phrase"),
    f("case_sensitive", "case"),
    fe("numeric", "numeric", Enc::Charset),
    f("math", "math"),
    f("min_length", "minLength"),
    f("max_length", "maxLength"),
    f("comment", "comment"),
];

const JSON: JsonWire = JsonWire::new(TypeNames::proxyless("ImageToTextTask"), JSON_FIELDS);

/// anti-captcha: "languagePool moved into ImageToTextTask".
const JSON_AC: JsonWire = JsonWire {
    fields: &[
        fe("image", "body", Enc::Base64),
        f("phrase", "phrase"),
        f("case_sensitive", "case"),
        fe("numeric", "numeric", Enc::Charset),
        f("math", "math"),
        f("min_length", "minLength"),
        f("max_length", "maxLength"),
        f("comment", "comment"),
        fe("lang", "languagePool", Enc::LanguagePool),
    ],
    ..JSON
};

/// 2captcha v2: the pool goes beside the task in the createTask body.
const JSON_2CV2: JsonWire = JsonWire {
    fields: &[
        fe("image", "body", Enc::Base64),
        f("phrase", "phrase"),
        f("case_sensitive", "case"),
        fe("numeric", "numeric", Enc::Charset),
        f("math", "math"),
        f("min_length", "minLength"),
        f("max_length", "maxLength"),
        f("comment", "comment"),
        fe("lang", "^languagePool", Enc::LanguagePool),
    ],
    ..JSON
};

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::ImageToText,
    doc: ImageToText::DOC,
    fields: ImageToText::FIELDS,
    answer: "the text in the image",
    data: &[],
    class: Class::Media,
    form_waits: (5, 120),
    example: r#"{"type": "ImageToText", "image": "@images/captcha.png", "numeric": 1, "min_length": 4}"#,
    wire: Wire {
        form: &[(
            &[
                FormDialect::TwoCaptcha,
                FormDialect::CaptchaAi,
                FormDialect::BigCaptcha,
                FormDialect::Generic,
            ],
            FormWire {
                method: FormMethod::Image,
                fields: &[
                    f("phrase", "phrase"),
                    f("case_sensitive", "regsense"),
                    fe("numeric", "numeric", Enc::Charset),
                    f("math", "calc"),
                    f("min_length", "min_len"),
                    f("max_length", "max_len"),
                    f("lang", "lang"),
                    f("comment", "textinstructions"),
                ],
                ..FormWire::named("")
            },
        )],
        json: &[
            (&[JsonDialect::AntiCaptcha], JSON_AC),
            (&[JsonDialect::TwoCaptchaV2], JSON_2CV2),
            // NextCaptcha: its SDKs have no image task; CaptchaAI's migration guide maps
            // NextCaptcha's `ImageToTextTask` (`body`, solution `text`) to `method=base64`,
            // which is what it is taken for (issue 19).
            (
                &[
                    JsonDialect::CapMonster,
                    JsonDialect::CapSolver,
                    JsonDialect::NextCaptcha,
                    JsonDialect::Generic,
                ],
                JSON,
            ),
        ],
    },
};
