//! Questions in words and recordings: TextCaptcha and Audio.

use super::prelude::*;

kind! {
    /// A question in words ("what is two plus three?"): the answer is text.
    TextCaptcha {
        required {
            /// The question.
            text: text,
        }
        optional {
            /// The question's language code (`en`).
            language: text,
        }
    }
}

kind! {
    /// Words in a recording (an mp3, at most 1 MB): the answer is the text.
    Audio {
        required {
            /// The recording: its bytes, or text that is a file path, base64 or a `data:` URL.
            audio: audio,
            /// The language spoken.
            language: one_of(["en", "ru", "de", "el", "pt", "fr"]),
        }
        optional {}
    }
}

/// The catalogue entry of TextCaptcha.
pub(crate) static TEXT: KindSpec = KindSpec {
    kind: TaskKind::TextCaptcha,
    doc: TextCaptcha::DOC,
    fields: TextCaptcha::FIELDS,
    answer: "the answer's text",
    data: &[],
    class: Class::Media,
    form_waits: (5, 120),
    example: r#"{"type": "TextCaptcha", "text": "If tomorrow is Saturday, what day is today?", "language": "en"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                method: FormMethod::Post,
                fields: &[f("text", "textcaptcha"), f("language", "lang")],
                ..FormWire::named("")
            },
        )],
        json: &[(
            &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
            JsonWire::new(
                TypeNames::proxyless("TextCaptchaTask"),
                // The language picks a worker pool, beside the task as for images.
                &[
                    f("text", "comment"),
                    fe("language", "^languagePool", Enc::LanguagePool),
                ],
            ),
        )],
    },
};

/// The catalogue entry of Audio.
pub(crate) static AUDIO: KindSpec = KindSpec {
    kind: TaskKind::Audio,
    doc: Audio::DOC,
    fields: Audio::FIELDS,
    answer: "the words spoken",
    data: &[],
    class: Class::Media,
    form_waits: (5, 120),
    example: r#"{"type": "Audio", "audio": "@audio/captcha.mp3", "language": "en"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: &[fe("audio", "body", Enc::Base64), f("language", "lang")],
                ..FormWire::named("audio")
            },
        )],
        json: &[(
            &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
            JsonWire::new(
                TypeNames::proxyless("AudioTask"),
                &[fe("audio", "body", Enc::Base64), f("language", "lang")],
            ),
        )],
    },
};
