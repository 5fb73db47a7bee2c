//! Pictures answered by clicks, tiles or an angle: Coordinates, Grid and Rotate.

use super::prelude::*;
use crate::error::{Error, Result};

kind! {
    /// Points to click in a picture ("click the birds"): the answer is their coordinates.
    Coordinates {
        required {
            /// The picture: its bytes, or text that is a file path, base64 or a `data:` URL.
            image: image,
        }
        optional {
            /// What to click, in words.
            instructions: text,
            /// What to click, as a picture.
            instructions_image: image,
            /// Fewest points to click.
            min_clicks: count(1, 100),
            /// Most points to click.
            max_clicks: count(1, 100),
            /// How the picture travels to a form provider: `base64` (a form field, the default) or `multipart` (a file upload, as 2captcha-python sends a file).
            upload: upload,
        }
        rules: Coordinates::rules,
    }
}

kind! {
    /// Tiles of a grid to select ("select all squares with buses"): the answer is their
    /// numbers, from 1, left to right and top to bottom.
    Grid {
        required {
            /// The picture of the grid: its bytes, or text that is a file path, base64 or a `data:` URL.
            image: image,
        }
        optional {
            /// Rows of the grid (default 3).
            rows: count(1, 6),
            /// Columns of the grid (default 3).
            columns: count(1, 6),
            /// What to select, in words (one of the two instructions is required).
            instructions: text,
            /// What to select, as a picture (one of the two instructions is required).
            instructions_image: image,
            /// How the picture travels to a form provider: `base64` (a form field, the default) or `multipart` (a file upload, as 2captcha-python sends a file).
            upload: upload,
        }
        rules: Grid::rules,
    }
}

kind! {
    /// A picture to turn upright: the answer is the angle.
    Rotate {
        required {
            /// The picture: its bytes, or text that is a file path, base64 or a `data:` URL.
            image: image,
        }
        optional {
            /// The step one turn of the control makes, in degrees (2captcha's default 40).
            angle_step: count(1, 360),
        }
    }
}

/// CapMonster's grids: `3x3`, `4x4` or `1x1` (one image of a grid to split itself).
fn capmonster_grid(task: &crate::task::Task) -> std::result::Result<(), String> {
    use crate::task::field::FieldRef;
    match (task.get("rows"), task.get("columns")) {
        (FieldRef::Count(r), FieldRef::Count(c)) if r == c && matches!(r, 1 | 3 | 4) => Ok(()),
        _ => Err("solves Grid tasks of 3x3, 4x4 or 1x1 tiles only".to_owned()),
    }
}

impl Coordinates {
    /// Sends the picture to a form provider as a multipart upload instead of base64.
    pub fn multipart(mut self) -> Self {
        self.upload = crate::task::ImageUpload::Multipart;
        self
    }

    fn rules(&self) -> Result<()> {
        if let (Some(lo), Some(hi)) = (self.min_clicks, self.max_clicks)
            && lo > hi
        {
            return Err(Error::invalid_field(
                "min_clicks",
                "is greater than max_clicks",
            ));
        }
        Ok(())
    }
}

impl Grid {
    /// Sends the picture to a form provider as a multipart upload instead of base64.
    pub fn multipart(mut self) -> Self {
        self.upload = crate::task::ImageUpload::Multipart;
        self
    }

    fn rules(&self) -> Result<()> {
        if self.instructions.is_none() && self.instructions_image.is_none() {
            return Err(Error::invalid_field(
                "instructions",
                "is required (or instructions_image): the worker must know what to select",
            ));
        }
        Ok(())
    }
}

/// The catalogue entry of Coordinates.
pub(crate) static COORDINATES: KindSpec = KindSpec {
    kind: TaskKind::Coordinates,
    doc: Coordinates::DOC,
    fields: Coordinates::FIELDS,
    answer: "the points as `x=56,y=56;x=170,y=56`",
    data: &[DataSpec {
        name: "points",
        ty: "points",
        always: true,
        doc: "the points to click, `[{x, y}]` in pixels from the top-left corner",
    }],
    class: Class::Media,
    form_waits: (5, 120),
    example: r#"{"type": "Coordinates", "image": "@images/captcha.png", "instructions": "click the birds"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                method: FormMethod::Image,
                constants: &[("coordinatescaptcha", "1")],
                fields: &[
                    f("instructions", "textinstructions"),
                    fe("instructions_image", "imginstructions", Enc::Base64),
                    f("min_clicks", "min_clicks"),
                    f("max_clicks", "max_clicks"),
                ],
                decode: Decode::Points,
                ..FormWire::named("")
            },
        )],
        json: &[
            (
                &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
                JsonWire {
                    decode: Decode::Points,
                    ..JsonWire::new(
                        TypeNames::proxyless("CoordinatesTask"),
                        &[
                            fe("image", "body", Enc::Base64),
                            f("instructions", "comment"),
                            fe("instructions_image", "imgInstructions", Enc::Base64),
                            f("min_clicks", "minClicks"),
                            f("max_clicks", "maxClicks"),
                        ],
                    )
                },
            ),
            (
                &[JsonDialect::AntiCaptcha],
                JsonWire {
                    constants: &[("mode", Const::Text("points"))],
                    refuses: &["instructions_image", "min_clicks", "max_clicks"],
                    decode: Decode::Points,
                    ..JsonWire::new(
                        TypeNames::proxyless("ImageToCoordinatesTask"),
                        &[
                            fe("image", "body", Enc::Base64),
                            f("instructions", "comment"),
                        ],
                    )
                },
            ),
        ],
    },
};

/// The catalogue entry of Grid.
pub(crate) static GRID: KindSpec = KindSpec {
    kind: TaskKind::Grid,
    doc: Grid::DOC,
    fields: Grid::FIELDS,
    answer: "the cells as `3,6,9`; empty when the provider says no tile matches (CapMonster, CapSolver)",
    data: &[DataSpec {
        name: "cells",
        ty: "cells",
        always: true,
        doc: "the tiles to select, numbered from 1, left to right and top to bottom; `[]` when the provider says none matches (CapMonster, CapSolver)",
    }],
    class: Class::Media,
    form_waits: (5, 120),
    example: r#"{"type": "Grid", "image": "@images/captcha.png", "rows": 3, "columns": 3, "instructions": "select all squares with buses"}"#,
    wire: Wire {
        form: &[
            (
                TWO_CAPTCHA,
                FormWire {
                    method: FormMethod::Image,
                    constants: &[("recaptcha", "1")],
                    fields: &[
                        f("instructions", "textinstructions"),
                        fe("instructions_image", "imginstructions", Enc::Base64),
                        f("rows", "recaptcharows"),
                        f("columns", "recaptchacols"),
                    ],
                    decode: Decode::Cells {
                        key: "",
                        base: 1,
                        none: false,
                    },
                    ..FormWire::named("")
                },
            ),
            (
                // CaptchaAI's example: the grid image with text instructions.
                &[FormDialect::CaptchaAi],
                FormWire {
                    method: FormMethod::Image,
                    constants: &[("recaptcha", "1")],
                    fields: &[
                        f("instructions", "textinstructions"),
                        f("rows", "recaptcharows"),
                        f("columns", "recaptchacols"),
                    ],
                    needs: &["instructions"],
                    refuses: &["instructions_image"],
                    decode: Decode::Cells {
                        key: "",
                        base: 1,
                        none: false,
                    },
                    ..FormWire::named("")
                },
            ),
        ],
        json: &[
            (
                // 2captcha v2 counts cells from 0 ("0 corresponds to the top-left tile").
                &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
                JsonWire {
                    decode: Decode::Cells {
                        key: "click",
                        base: 0,
                        none: false,
                    },
                    ..JsonWire::new(
                        TypeNames::proxyless("GridTask"),
                        &[
                            fe("image", "body", Enc::Base64),
                            f("instructions", "comment"),
                            fe("instructions_image", "imgInstructions", Enc::Base64),
                            f("rows", "rows"),
                            f("columns", "columns"),
                        ],
                    )
                },
            ),
            (
                // CapMonster: a complex image task of class recaptcha; `answer: [bool]`.
                &[JsonDialect::CapMonster],
                JsonWire {
                    constants: &[("class", Const::Text("recaptcha"))],
                    // Its `metadata.Grid` is required, and one of three sizes.
                    needs: &["instructions", "rows", "columns"],
                    refuses: &["instructions_image"],
                    check: Some(capmonster_grid),
                    decode: Decode::Cells {
                        key: "answer",
                        base: 0,
                        none: true,
                    },
                    ..JsonWire::new(
                        TypeNames::proxyless("ComplexImageTask"),
                        &[
                            fe("image", "imagesBase64", Enc::Base64List),
                            fe("rows", "metadata.Grid", Enc::GridSize),
                            f("instructions", "metadata.Task"),
                        ],
                    )
                },
            ),
            (
                // CapSolver's classification: answered in the submit reply, `objects` from 0.
                &[JsonDialect::CapSolver],
                JsonWire {
                    // The classification reads the grid's size itself: rows and columns are
                    // not sent.
                    needs: &["instructions"],
                    refuses: &["instructions_image"],
                    decode: Decode::Cells {
                        key: "objects",
                        base: 0,
                        none: true,
                    },
                    ..JsonWire::new(
                        TypeNames::proxyless("ReCaptchaV2Classification"),
                        &[
                            fe("image", "image", Enc::Base64),
                            f("instructions", "question"),
                        ],
                    )
                },
            ),
        ],
    },
};

/// The catalogue entry of Rotate.
pub(crate) static ROTATE: KindSpec = KindSpec {
    kind: TaskKind::Rotate,
    doc: Rotate::DOC,
    fields: Rotate::FIELDS,
    answer: "the angle in degrees, as text",
    data: &[DataSpec {
        name: "angle",
        ty: "number",
        always: true,
        doc: "the angle to turn the picture by, in degrees",
    }],
    class: Class::Media,
    form_waits: (5, 120),
    example: r#"{"type": "Rotate", "image": "@images/captcha.png", "angle_step": 40}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: &[fe("image", "body", Enc::Base64), f("angle_step", "angle")],
                decode: Decode::Angle(""),
                ..FormWire::named("rotatecaptcha")
            },
        )],
        json: &[(
            &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
            JsonWire {
                decode: Decode::Angle("rotate"),
                ..JsonWire::new(
                    TypeNames::proxyless("RotateTask"),
                    &[fe("image", "body", Enc::Base64), f("angle_step", "angle")],
                )
            },
        )],
    },
};
